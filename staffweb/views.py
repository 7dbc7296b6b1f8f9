"""Staff pages. Every view checks the person's rights through people.access and the rules of
each domain app."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from institutions.middleware import session_key
from people.access import staff_required
from people.queries import staff_roles_by_institution
from results.queries.deadlines import due_sessions
from results.rules import Rights
from studentweb.forms import InstitutionChoiceForm


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    roles = staff_roles_by_institution(request.user)
    rights = Rights.load(request.user, request.institution.pk)
    # T-DEAD-1: what is due within a week or overdue, for those who report results.
    due = due_sessions(request.user, request.institution) if rights.reports_anything else []
    return render(
        request,
        "staffweb/home.html",
        {"roles_by_institution": roles, "rights": rights, "due_sessions": due},
    )


@require_POST
@staff_required
def switch_institution(request: HttpRequest) -> HttpResponse:
    form = InstitutionChoiceForm(request.POST, institutions=request.institutions)
    if form.is_valid():
        request.session[session_key(request)] = form.cleaned_data["institution"].pk
    else:
        messages.error(request, form.errors["institution"][0])
    return redirect("staff_home")
