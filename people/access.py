"""Who may enter the student web: `student_required` refuses staff-only accounts with a page that
sends them to their own part. The staff web's one guard is staffweb.access.require, which
refuses students the same way."""

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
