"""Who may enter which part of the portal. The student web refuses staff-only accounts and the
staff web refuses students (each sees a page that sends them to their own part)."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def student_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A person with records at a university (the middleware found one for them)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.person_id is None or request.institution is None:
            return render(request, "people/not_student.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Someone with at least one staff role (the middleware found a university for them)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.institution is None:
            return render(request, "people/not_staff.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
