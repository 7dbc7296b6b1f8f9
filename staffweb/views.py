"""Staff pages. Every view is guarded by staffweb.access.require with a predicate of a domain
app's rules."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from institutions import choice
from people.queries import staff_roles_by_institution
from results.queries.deadlines import due_sessions
from staffweb.access import any_staff_member, require, rights


@require(any_staff_member)
def staff_home(request: HttpRequest) -> HttpResponse:
    roles = staff_roles_by_institution(request.user)
    mine = rights(request)
    # T-DEAD-1: what is due within a week or overdue, for those who report results.
    due = due_sessions(request.user, request.institution) if mine.reports_anything else []
    return render(
        request,
        "staffweb/home.html",
        {"roles_by_institution": roles, "rights": mine, "due_sessions": due},
    )


@require_POST
@require(any_staff_member)
def switch_institution(request: HttpRequest) -> HttpResponse:
    choice.switch(request)
    return redirect("staff_home")
