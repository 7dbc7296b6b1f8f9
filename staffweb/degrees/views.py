"""Degree case handling in the staff web (S-DEG-3, S-DEG-4, S-DEG-6): the queue of the
university's cases with filters, the case page (the application, the audit, the student's
completed courses, the internal notes, the history) and the decisions. Every page is guarded by
degrees.rules.handles_degrees_at, which the services ask again; a case of another university is a
404. Issuing asks for re-authentication newer than the case page the decision was made on, as
certifying results does (staffweb.results.certify.reauth)."""

import time
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from degrees import queries, services
from degrees.inputs import completed_courses
from degrees.models import DegreeCase
from degrees.rules import handles_degrees_at
from ladokportal.attempts import attempt
from staffweb.access import require
from staffweb.degrees.forms import NoteForm, QueueFilter, ReasonForm, WithdrawForm
from staffweb.results.certify import reauth

SHOWN = "degree_case_shown"


@require(handles_degrees_at)
def queue(request: HttpRequest) -> HttpResponse:
    kinds = queries.institution_kinds(request.institution)
    form = QueueFilter(request.GET or None, kinds=kinds)
    state, kind = "", None
    if form.is_valid():
        state = form.cleaned_data["state"]
        kind = next((k for k in kinds if str(k.public_id) == form.cleaned_data["kind"]), None)
    cases = queries.queue(state=state, kind=kind)
    return render(request, "staffweb/degrees/queue.html", {"form": form, "cases": cases})


def _case(public_id: uuid.UUID) -> DegreeCase:
    case = queries.staff_case(public_id)
    if case is None:
        raise Http404
    return case


def _remember_shown(request: HttpRequest, case: DegreeCase) -> None:
    shown = dict(request.session.get(SHOWN) or {})
    shown[str(case.public_id)] = time.time()
    # A few open cases at most, never an unbounded list.
    request.session[SHOWN] = dict(sorted(shown.items(), key=lambda kv: kv[1])[-10:])


@require(handles_degrees_at)
def case_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(public_id)
    completed = completed_courses(case.person_id, case.institution_id)
    chosen = [c.pk for c in case.courses.all()]
    context = {
        "case": case,
        "completed": completed,
        "chosen": set(chosen),
        "audit": queries.audit_of(case.person_id, case.degree_kind, chosen, completed=completed),
        "issued": queries.issued_for_case(case),
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "withdraw_form": WithdrawForm(),
    }
    _remember_shown(request, case)
    return render(request, "staffweb/degrees/case.html", context)


def _back(case: DegreeCase) -> HttpResponse:
    return redirect("staff_degree_case", public_id=case.public_id)


@require_POST
@require(handles_degrees_at)
def take(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(public_id)
    attempt(request, lambda: services.take(request.user, case), _("You handle the case now."))
    return _back(case)


@require_POST
@require(handles_degrees_at)
def add_note(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(public_id)
    form = NoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    attempt(request, lambda: services.add_note(request.user, case, text), _("The note is saved."))
    return _back(case)


@require_POST
@reauth.resumable
@require(handles_degrees_at)
def issue(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The decision to issue, after a re-authentication newer than the case page (T-CERT-3's
    rule for decisions)."""
    case = _case(public_id)
    shown = (request.session.get(SHOWN) or {}).get(str(case.public_id))
    if shown is None:
        messages.error(request, _("Open the case again before deciding."))
        return _back(case)
    if not reauth.authenticated_since(request, shown):
        return reauth.ask(request)
    attempt(
        request,
        lambda: services.issue(request.user, case),
        _("The degree is issued. The student can see it now."),
    )
    return _back(case)


@require_POST
@require(handles_degrees_at)
def refuse(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(public_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.refuse(request.user, case, reason=reason),
        _("The application is refused. The student sees the reason."),
    )
    return _back(case)


@require_POST
@require(handles_degrees_at)
def withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(public_id)
    degree = queries.issued_for_case(case)
    if degree is None:
        raise Http404
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.withdraw(request.user, degree, reason=reason),
        _("The degree is withdrawn."),
    )
    return _back(case)
