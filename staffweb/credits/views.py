"""Credit-transfer case handling in the staff web (S-CRED, T-ROLE-1): the university's queue, a
case's page (the application, the attachments opened in the browser, the student's certified
results, internal notes, history) and a decision per item, taken after a re-authentication newer
than the case page the officer decided on (as certifying asks, staffweb.results.certify.reauth).

Every page is for the university's case officers (`credits.rules.handles_credits_at`); a case or
attachment of another university, or a draft, is a 404.
"""

import time
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Grade
from credits import queries, services
from credits.downloads import attachment_response
from credits.models import CreditCase
from credits.rules import handles_credits_at
from ladokportal.attempts import attempt
from ladokportal.errors import DomainError
from results.queries import student as result_queries
from staffweb.access import require
from staffweb.credits.forms import DecisionForm, NoteForm, QueueFilterForm
from staffweb.results.certify import reauth

SHOWN = "credit_case_shown_at"


@require_http_methods(["GET"])
@require(handles_credits_at)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    show = form.value()
    return render(
        request,
        "staffweb/credits/queue.html",
        {
            "form": form,
            "show": show,
            "cases": list(queries.queue(request.institution, request.user, show)),
        },
    )


def _case_or_404(request: HttpRequest, case_id: uuid.UUID) -> CreditCase:
    case = queries.staff_case(request.institution, case_id)
    if case is None:
        raise Http404
    return case


def _decision_forms(case: CreditCase, data=None) -> list:
    grades = list(Grade.objects.filter(passing=True).order_by("scale_id", "rank"))
    rows = []
    for item in case.items.all():
        if item.decided or item.target_course is None:
            rows.append((item, None))
            continue
        scale_id = (item.target_module or item.target_course).grading_scale_id
        mine = [g for g in grades if g.scale_id == scale_id]
        form = DecisionForm(
            data,
            item=item,
            grades=Grade.objects.filter(scale_id=scale_id, passing=True),
        )
        form.fields["grade"].choices = [("", "—"), *((g.pk, g.name) for g in mine)]
        rows.append((item, form))
    return rows


def _page(request: HttpRequest, case: CreditCase, *, status: int = 200, decision=None):
    shown = request.session.get(SHOWN, {})
    shown[str(case.public_id)] = time.time()
    request.session[SHOWN] = shown
    rows = _decision_forms(case)
    if decision is not None:
        rows = [(item, decision[1] if item.pk == decision[0] else form) for item, form in rows]
    return render(
        request,
        "staffweb/credits/case.html",
        {
            "case": case,
            "rows": rows,
            "note_form": NoteForm(),
            "results": list(
                result_queries.visible(case.person).select_related(
                    "grade", "module", "course_instance__course"
                )
            ),
        },
        status=status,
    )


@require_http_methods(["GET"])
@require(handles_credits_at)
def case_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _page(request, _case_or_404(request, case_id))


@require_POST
@require(handles_credits_at)
def take(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    attempt(
        request,
        lambda: services.take(request.user, case=case),
        _("You are the case officer of %(number)s.") % {"number": case.number},
    )
    return redirect("staff_credit_case", case_id=case.public_id)


@require_POST
@require(handles_credits_at)
def add_note(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.add_note(request.user, case=case, text=form.cleaned_data["text"]),
            _("The note is saved."),
        )
    else:
        messages.error(request, _("Write the note first."))
    return redirect(f"{request.path.removesuffix('notes/')}#notes")


@require_POST
@reauth.resumable
@require(handles_credits_at)
def decide(request: HttpRequest, case_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    """The decision on one item, after a re-authentication newer than the case page."""
    case = _case_or_404(request, case_id)
    item = next((i for i in case.items.all() if i.public_id == item_id), None)
    if item is None:
        raise Http404
    shown_at = request.session.get(SHOWN, {}).get(str(case.public_id))
    if shown_at is None:
        return redirect("staff_credit_case", case_id=case.public_id)
    forms = dict(_decision_forms(case, request.POST))
    form = forms.get(item)
    if form is None:
        messages.error(request, _("This item has already been decided."))
        return redirect("staff_credit_case", case_id=case.public_id)
    if not form.is_valid():
        return _page(request, case, status=400, decision=(item.pk, form))
    if not reauth.authenticated_since(request, shown_at):
        return reauth.ask(request)
    data = form.cleaned_data
    try:
        services.decide_item(
            request.user,
            item=item,
            outcome=data["outcome"],
            grade=data["grade"],
            credited_credits=data["credited_credits"],
            refusal_reason=data["refusal_reason"],
            appeal_instruction=data["appeal_instruction"],
        )
    except DomainError as refusal:
        form.add_error(None, refusal.message)
        return _page(request, _case_or_404(request, case_id), status=400, decision=(item.pk, form))
    messages.success(request, _("The decision is recorded."))
    return redirect("staff_credit_case", case_id=case.public_id)


@require_http_methods(["GET"])
@require(handles_credits_at)
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    found = queries.staff_attachment(request.institution, attachment_id)
    if found is None:
        raise Http404
    return attachment_response(found)
