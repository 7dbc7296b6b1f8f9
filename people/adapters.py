"""django-allauth adapters: who may log in, and how an external identity becomes a Person.

Institution SSO, eduID and Antagning.se are OpenID Connect (or SAML) providers configured from the
environment (settings.OIDC_PROVIDERS). A login is linked to the Person whose identity number the
provider asserts; a login whose claims match nobody ends on a clear page, not an error. A
provider of kind "alumni" (Swedish e-ID) puts the session in alumni mode (S-AUTH-2).
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse

from people import services
from people.models import User

PORTAL_MODE_KEY = "portal_mode"
SESSION_STARTED_KEY = "authenticated_at"
SESSION_MAX_AGE_KEY = "session_max_age"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the student register and the identity providers, never sign-up.
        return False

    def login(self, request: HttpRequest, user: User) -> None:
        # The mode a social login chose rides on the request as well as in the session: when
        # someone is still logged in, allauth logs them out (a fresh, empty session) between
        # pre_social_login and this call.
        mode = getattr(request, PORTAL_MODE_KEY, None) or request.session.get(PORTAL_MODE_KEY)
        super().login(request, user)
        if mode:
            request.session[PORTAL_MODE_KEY] = mode
        # allauth makes the cookie a browser-session cookie afterwards; the lifetime is enforced
        # on the server by people.middleware.SessionLifetimeMiddleware from these two keys.
        is_staff = user.staff_roles.exists()
        request.session[SESSION_STARTED_KEY] = int(time.time())
        request.session[SESSION_MAX_AGE_KEY] = (
            settings.STAFF_SESSION_SECONDS if is_staff else settings.STUDENT_SESSION_SECONDS
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")


def identity_claims(extra_data: dict) -> dict:
    """The claims a provider gave about the person. allauth keeps an OpenID Connect login as
    {"userinfo": {...}, "id_token": {...}}: a claim may be in either, the userinfo answer wins.
    Other providers keep their attributes at the top level."""
    if "userinfo" in extra_data or "id_token" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return extra_data


def provider_config(provider_id: str) -> dict:
    """Our own settings for a provider: OIDC_PROVIDERS entries by "id", SAML_PROVIDERS entries
    by allauth's "provider_id" (each may carry "kind" and "identity_claim")."""
    for provider in settings.OIDC_PROVIDERS:
        if provider["id"] == provider_id:
            return provider
    for provider in settings.SAML_PROVIDERS:
        if provider.get("provider_id") == provider_id:
            return provider
    return {}


def claim_value(claims: dict, name: str) -> str:
    """One claim as text. SAML attributes arrive as lists of values; the first one counts."""
    value = claims.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        config = provider_config(sociallogin.account.provider)
        claim = config.get("identity_claim", "personal_identity_number")
        raw = claim_value(identity_claims(sociallogin.account.extra_data or {}), claim)
        person = services.person_for_identity_claim(raw)
        if person is None:
            raise ImmediateHttpResponse(
                render(
                    request, "people/no_match.html", {"provider": config.get("name")}, status=403
                )
            )
        if sociallogin.is_existing and sociallogin.user.person_id != person.pk:
            # The provider's subject was linked to another person before: refuse, never merge,
            # and create nothing for the person it names now.
            raise ImmediateHttpResponse(
                render(
                    request, "people/no_match.html", {"provider": config.get("name")}, status=403
                )
            )
        mode = "alumni" if config.get("kind") == "alumni" else "student"
        setattr(request, PORTAL_MODE_KEY, mode)
        request.session[PORTAL_MODE_KEY] = mode
        if not sociallogin.is_existing:
            sociallogin.connect(request, services.user_for_person(person))
