"""Session rules: a login lasts as long as its kind allows (staff shorter than students), and
after an e-ID login only the pages marked for alumni answer (S-AUTH-2)."""

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from people import throttle
from people.adapters import PORTAL_MODE_KEY, SESSION_MAX_AGE_KEY, SESSION_STARTED_KEY


def alumni_allowed(view: Callable) -> Callable:
    """Mark a view as reachable in alumni mode."""
    view.alumni_allowed = True
    return view


class PortalModeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if request.session.get(PORTAL_MODE_KEY) != "alumni":
            return None
        if getattr(view_func, "alumni_allowed", False) or not getattr(
            view_func, "login_required", True
        ):
            return None
        if request.path.startswith("/accounts/"):
            return None  # logging out must always work
        # Nothing else exists for an alumni session: not a refusal that says there is more.
        raise Http404


class KnownBrowserMiddleware:
    """Marks the browser of a successful login as known for that account (people.throttle)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        throttle.set_cookie(request, response)
        return response


class SessionLifetimeMiddleware:
    """Ends a login whose lifetime has passed, whatever the cookie says. Every login goes through
    the portal's login (people.adapters.AccountAdapter.login sets the lifetime; the admin's own
    login page only sends there, #17), so the staff limit holds everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = request.session.get(SESSION_STARTED_KEY)
        max_age = request.session.get(SESSION_MAX_AGE_KEY)
        expired = started and max_age and time.time() - started > max_age
        if expired and request.user.is_authenticated:
            logout(request)
            messages.info(request, _("You have been logged out. Please log in again."))
            return redirect("account_login")
        return self.get_response(request)
