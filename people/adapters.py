"""django-allauth adapters: who may log in, and how an external identity becomes a Person.

Institution SSO, eduID and Antagning.se are OpenID Connect or SAML providers configured from the
environment (settings.OIDC_PROVIDERS, settings.SAML_PROVIDERS). A login is linked to the Person
whose identity number the provider asserts (over SAML, where the number is missing: the birth
date and the local number); a login whose claims match nobody ends on a clear page, not an
error. A SAML login already linked to a staff account (by eduPersonPrincipalName) logs that
account in. A provider of kind "alumni" (Swedish e-ID) puts the session in alumni mode
(S-AUTH-2). A login the provider's answer does not prove ends on the refusal page.
"""

import logging
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from people import saml, services, throttle
from people.models import User
from people.queries import is_former_student

PORTAL_MODE_KEY = "portal_mode"
SESSION_STARTED_KEY = "authenticated_at"
SESSION_MAX_AGE_KEY = "session_max_age"

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the student register and the identity providers, never sign-up.
        return False

    def login(self, request: HttpRequest, user: User) -> None:
        # The mode a social login chose rides on the request as well as in the session: when
        # someone is still logged in, allauth logs them out (a fresh, empty session) between
        # pre_social_login and this call.
        mode = getattr(request, PORTAL_MODE_KEY, None) or request.session.get(PORTAL_MODE_KEY)
        if not mode and is_former_student(user.person_id):
            # A local login of someone whose studies have all ended (the demo's `alumnus`) is
            # the alumni portal, as an e-ID login of theirs would be (S-AUTH-2).
            mode = "alumni"
        super().login(request, user)
        if mode:
            request.session[PORTAL_MODE_KEY] = mode
        # allauth makes the cookie a browser-session cookie afterwards; the lifetime is enforced
        # on the server by people.middleware.SessionLifetimeMiddleware from these two keys.
        is_staff = user.is_staff or user.staff_roles.exists()
        request.session[SESSION_STARTED_KEY] = int(time.time())
        request.session[SESSION_MAX_AGE_KEY] = (
            settings.STAFF_SESSION_SECONDS if is_staff else settings.STUDENT_SESSION_SECONDS
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    # Failed logins: a progressive delay per account, never a lock (people.throttle, #17).

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        login = _login_of(credentials)
        if throttle.known_here(request, login):
            self._login_failed_rl_usage = None  # the owner's browser: no limit to consume
            return
        wait = throttle.wait_seconds(login)
        if wait:
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong passwords for this account. Wait %(seconds)d second and "
                    "try again.",
                    "Too many wrong passwords for this account. Wait %(seconds)d seconds and "
                    "try again.",
                    wait,
                )
                % {"seconds": wait}
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login = _login_of(credentials)
            throttle.succeeded(login)
            throttle.remember(request, login)
        return user

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        throttle.failed(_login_of(credentials))


def _login_of(credentials: dict) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")


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
        if provider_id in {provider.get("id"), provider.get("provider_id")}:
            return {**provider, "saml": True}
    return {}


def claim_value(claims: dict, name: str) -> str:
    """One claim as text. SAML attributes arrive as lists of values; the first one counts."""
    value = claims.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value)


def first_claim(claims: dict, names: list[str]) -> str:
    for name in names:
        value = claim_value(claims, name).strip()
        if value:
            return value
    return ""


def saml_person(claims: dict, config: dict):
    """The Person a SAML login names: by identity number (norEduPersonNIN or
    personalIdentityNumber), else by schacDateOfBirth and the local number."""
    identity_attributes = config.get("identity_attributes", saml.IDENTITY_ATTRIBUTES)
    raw = first_claim(claims, identity_attributes)
    if raw:
        return services.person_for_identity_claim(raw)
    birth = first_claim(claims, saml.DATE_OF_BIRTH_ATTRIBUTES)
    local = first_claim(claims, [config.get("local_number_attribute", saml.EPPN)])
    # A scoped value (K123@lu.se) carries the local number before the scope.
    return services.person_for_birth_date_and_local_number(birth, local.split("@", 1)[0])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def list_apps(self, request, provider=None, client_id=None):
        """SAML providers configured by metadata get their IdP from it; one whose metadata
        cannot be trusted is left out. The IdPs' origins ride on the request for the CSP."""
        apps = [
            app if app.provider != "saml" else saml.usable_app(app)
            for app in super().list_apps(request, provider=provider, client_id=client_id)
        ]
        apps = [app for app in apps if app is not None]
        if request is not None:
            origins = getattr(request, saml.ORIGINS_ATTRIBUTE, set())
            origins |= {
                saml.origin(app.settings["idp"]["sso_url"])
                for app in apps
                if app.provider == "saml" and app.settings.get("idp", {}).get("sso_url")
            }
            setattr(request, saml.ORIGINS_ATTRIBUTE, origins)
        return apps

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Every login a provider's answer does not prove ends on one page, with no session."""
        logger.warning(
            "Login through %s refused: %s %s",
            getattr(provider, "sub_id", provider),
            error,
            (extra_context or {}).get("saml_last_error_reason", exception or ""),
        )
        raise ImmediateHttpResponse(refused(request, getattr(provider, "name", None)))

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        config = provider_config(sociallogin.account.provider)
        claims = identity_claims(sociallogin.account.extra_data or {})
        if config.get("saml"):
            person = saml_person(claims, config)
            if sociallogin.is_existing and sociallogin.user.person_id is None and person is None:
                # A staff account linked to this eduPersonPrincipalName: no student records.
                return
        else:
            claim = config.get("identity_claim", "personal_identity_number")
            person = services.person_for_identity_claim(claim_value(claims, claim))
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


def refused(request: HttpRequest, provider_name: str | None):
    """The refusal page: the provider's answer did not prove who logged in."""
    return render(request, "people/login_refused.html", {"provider": provider_name}, status=403)
