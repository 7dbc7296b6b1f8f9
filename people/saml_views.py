"""The SAML endpoints the portal wraps around django-allauth's (people.saml says why)."""

import logging

from allauth.socialaccount.providers.saml import views as allauth_saml
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from people import saml
from people.adapters import provider_config, refused

logger = logging.getLogger(__name__)


@csrf_exempt
@login_not_required
def acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """The IdP's POST: refused when the response was posted before (a replay), otherwise
    handed to allauth, which keeps it for the finishing step."""
    if not saml.first_use(request.POST.get("SAMLResponse", "")):
        logger.warning("SAML response to %s refused: replayed", organization_slug)
        return refused(request, provider_config(organization_slug).get("name"))
    return allauth_saml.acs(request, organization_slug=organization_slug)


@login_not_required
def finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's finishing step; a response to a request this browser never made (its state
    is missing) ends on the refusal page too."""
    try:
        return allauth_saml.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        logger.warning("SAML response to %s refused: no matching request", organization_slug)
        return refused(request, provider_config(organization_slug).get("name"))
