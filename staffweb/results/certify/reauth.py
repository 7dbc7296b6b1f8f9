"""Re-authentication once per certify batch (T-CERT-3), with django-allauth's own page.

Showing the preview of a batch records the moment in the session, with the batch. Certifying
the batch requires that the person authenticated after that moment - logged in, or
re-authenticated on allauth's page: allauth keeps each authentication of the session with its
time (`get_authentication_records`). Otherwise the certify POST is suspended (allauth's
`suspend_request` keeps it in the session) and the person is sent to allauth's reauthenticate
page. After the password, allauth's `resume_request` replays the kept POST by calling our view
directly, inside its own request to /accounts/reauthenticate/; `resumable` then restores what
our middleware had derived from that path: the staff web's current university and its data
scope. Each new preview is a new moment, so a second batch asks again.

Someone with no way to re-authenticate here (only an identity provider, no password) is let
through, exactly as allauth's own `did_recently_reauthenticate` does.
"""

from collections.abc import Callable
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import (
    get_reauthentication_flows,
    suspend_request,
)
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse

from institutions.middleware import CurrentInstitutionMiddleware

REAUTHENTICATE = "account_reauthenticate"


def authenticated_since(request: HttpRequest, moment: float) -> bool:
    """Whether the person logged in or re-authenticated after `moment` (a Unix time)."""
    if not get_reauthentication_flows(request.user):
        return True
    records = get_authentication_records(request, request.user)
    return any(record.get("at", 0) > moment for record in records)


def ask(request: HttpRequest) -> HttpResponse:
    """Keep this POST and send the person to allauth's reauthenticate page, which replays it."""
    return suspend_request(request, reverse(REAUTHENTICATE))


def resumable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let allauth replay a suspended POST of this view from its reauthenticate page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == REAUTHENTICATE:
            request.resolver_match = resolve(request.path_info)
            return CurrentInstitutionMiddleware(lambda r: view(r, *args, **kwargs))(request)
        return view(request, *args, **kwargs)

    return wrapper
