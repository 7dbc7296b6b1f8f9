"""The current institution of a request, and the django-scopes scope around the view.

Students see one university at a time (S-INST-1); staff act for one at a time. The chosen one is
kept in the session. Every institution-owned query in the view is then filtered to it by the
scoped managers, and a query made with no scope open raises instead of leaking.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from institutions.queries import institutions_for_request


def session_key(request: HttpRequest) -> str:
    """Staff and student choices are kept apart: a teacher who also studies keeps both."""
    return "staff_institution_id" if request.path.startswith("/staff/") else "institution_id"


class CurrentInstitutionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and getattr(request.user, "is_superuser", False):
            # The Django admin is a superuser's tool across every university.
            with scopes_disabled():
                return self.get_response(request)
        institutions = institutions_for_request(request)
        chosen = request.session.get(session_key(request)) if hasattr(request, "session") else None
        current = next((i for i in institutions if i.pk == chosen), None) or (
            institutions[0] if institutions else None
        )
        request.institutions = institutions
        request.institution = current
        with scope(institution=[current.pk] if current else []):
            return self.get_response(request)
