"""Who may enter the study administration pages of the staff web."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from ladokportal.errors import NotAllowed
from people.access import staff_required
from registration.rules import manages_students_at


def study_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A study administrator at the current university (students, sessions); other staff are
    refused with NotAllowed (403), students by staff_required."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not manages_students_at(request.user, request.institution.pk):
            raise NotAllowed
        return view(request, *args, **kwargs)

    return wrapper
