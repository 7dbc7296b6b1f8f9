"""Alumni mode (S-AUTH-2): after an e-ID login only the pages marked for alumni answer."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from people.adapters import PORTAL_MODE_KEY


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
        return redirect("alumni_home")
