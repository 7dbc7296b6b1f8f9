"""A result's timeline and its removal (T-CERT-2, B-3, T-REM-1).

The timeline shows every event of a result - who, when, from which source, grade and date before
and after, the note - to anyone with a reporting or certifying right on the course. From it a
reporter or administrator prepares (or withdraws) the removal of a certified result with a
reason; the course's examiner removes a ready or certified result, or certifies a prepared
removal, after a confirmation page. The services decide; a refusal (e.g. a certified course grade
rests on the module result) is shown with the service's explanation, nothing changed.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ladokportal.attempts import attempt
from results import anonymity
from results.errors import NotAllowed, ResultError
from results.models import Result, ResultAction, ResultState
from results.queries import certify as certify_queries
from results.rules import acts_on, reports_at
from results.services import removal
from staffweb.access import require, rights
from staffweb.results.certify.forms import PrepareRemovalForm, RemoveForm, VersionForm

S = ResultState
A = ResultAction


def _result(request: HttpRequest, result_id: uuid.UUID) -> Result:
    """The result if the person may report or certify on its course: another university's is
    not found (404), a course without the right is 403."""
    result = certify_queries.result(result_id)
    if result is None:
        raise Http404
    if not rights(request).may_report(result.course_instance.course):
        raise NotAllowed
    return result


def _actions(request: HttpRequest, result: Result) -> dict:
    # What the page offers is what results.rules says the person may do now.
    acts = acts_on(rights(request), result)
    return {
        "may_certify": rights(request).may_certify(result.course_instance.course),
        "may_prepare": A.REMOVAL_PREPARED in acts,
        "may_withdraw": A.REMOVAL_WITHDRAWN in acts,
        "may_remove": A.REMOVED in acts,
    }


def _timeline(request: HttpRequest, result: Result, prepare_form=None, status=200):
    return render(
        request,
        "staffweb/results/timeline/timeline.html",
        {
            "result": result,
            "events": certify_queries.timeline(result),
            "prepare_form": prepare_form or PrepareRemovalForm(initial={"version": result.version}),
            "version_form": VersionForm(initial={"version": result.version}),
            # B-6: a result that came by anonymisation code shows no grade by name until certified.
            "sight": anonymity.sight(rights(request), result, anonymity.Place.BY_NAME),
            **_actions(request, result),
        },
        status=status,
    )


@require_GET
@require(reports_at)
def timeline(request: HttpRequest, result_id: uuid.UUID) -> HttpResponse:
    return _timeline(request, _result(request, result_id))


def _back(result: Result) -> HttpResponse:
    return redirect("staff_result_timeline", result_id=result.public_id)


def _versioned(result: Result, form) -> bool:
    if not form.is_valid():
        return False
    result.version = form.cleaned_data["version"]
    return True


@require_POST
@require(reports_at)
def prepare_removal(request: HttpRequest, result_id: uuid.UUID) -> HttpResponse:
    result = _result(request, result_id)
    form = PrepareRemovalForm(request.POST)
    if not _actions(request, result)["may_prepare"]:
        messages.error(request, _("Only a certified result can be prepared for removal."))
        return _back(result)
    if not _versioned(result, form):
        return _timeline(request, result, prepare_form=form, status=400)
    attempt(
        request,
        lambda: removal.prepare_removal(
            request.user, result=result, reason=form.cleaned_data["reason"]
        ),
        _("The removal is prepared. The result stays valid until the examiner removes it."),
    )
    return _back(result)


@require_POST
@require(reports_at)
def withdraw_removal(request: HttpRequest, result_id: uuid.UUID) -> HttpResponse:
    result = _result(request, result_id)
    form = VersionForm(request.POST)
    if not _actions(request, result)["may_withdraw"] or not _versioned(result, form):
        messages.error(request, _("There is no prepared removal to withdraw."))
        return _back(result)
    attempt(
        request,
        lambda: removal.withdraw_removal(request.user, result=result),
        _("The prepared removal is withdrawn."),
    )
    return _back(result)


@require_http_methods(["GET", "POST"])
@require(reports_at)
def remove(request: HttpRequest, result_id: uuid.UUID) -> HttpResponse:
    """The examiner's decision: GET explains and asks for the reason, POST removes."""
    result = _result(request, result_id)
    if not rights(request).may_certify(result.course_instance.course):
        raise NotAllowed
    if not _actions(request, result)["may_remove"]:
        messages.error(request, _("This result cannot be removed."))
        return _back(result)
    prepared = result.removal_reason if result.state == S.REMOVAL_PREPARED else ""
    form = RemoveForm(
        request.POST if request.method == "POST" else None,
        prepared_reason=prepared,
        initial={"version": result.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if _versioned(result, form):
            try:
                removal.remove(request.user, result=result, reason=form.cleaned_data["reason"])
            except ResultError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The result is removed. The student no longer sees it; it stays in the "
                        "history."
                    ),
                )
                return _back(result)
    return render(
        request,
        "staffweb/results/timeline/remove.html",
        {"result": result, "form": form, "prepared": prepared},
        status=status,
    )
