"""The examiner's Certify pages (Attestera; T-CERT-1, T-CERT-3, B-4, T-ANON-1).

Flow: the list of course instances with results marked ready (by default those whose
notification named this examiner, T-CERT-3) → an instance's ready results, where the examiner
chooses results, un-marks or corrects one → "Review" stores the chosen public ids as a batch in
the session → the preview (B-4) shows what becomes visible, with warnings, and carries every
result's public id and version → "Certify" asks for re-authentication once per batch
(staffweb.results.certify.reauth) and calls results.services.certifying.certify with exactly those
versions: a result changed since the preview refuses the whole batch, nothing is certified.

Rights (T-ROLE-1) come from results.rules: a page of another university is a 404 (the scoped
managers do not find it); inside the university without the certifying right, 403.
"""

import time
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import CourseInstance
from ladokportal.attempts import attempt
from ladokportal.errors import DomainError
from results import preview
from results.errors import InvalidEntries, NotAllowed, ResultError, StaleResult
from results.models import Result, ResultState
from results.queries import certify as certify_queries
from results.queries import common as common_queries
from results.rules import Rights, certifies_at
from results.services import certifying, reporting
from results.validation import Entry
from staffweb.access import course_instance_or_404, require, rights
from staffweb.results.certify import reauth
from staffweb.results.certify.forms import CorrectForm

BATCHES = "certify_batches"
# Batches kept in the session at most: a few open previews (tabs), never an unbounded list.
KEPT_BATCHES = 5


def _filters(request: HttpRequest, instance: CourseInstance) -> tuple[bool, str]:
    """(only mine, module code or COURSE_GRADE or "") from the query string or the form."""
    data = request.POST if request.method == "POST" else request.GET
    mine = data.get("show") != "all"
    module = data.get("module", "")
    if module != certify_queries.COURSE_GRADE and not common_queries.module(instance, module):
        module = ""
    return mine, module


def _instance_url(instance: CourseInstance, mine: bool = True, module: str = "") -> str:
    url = reverse("staff_certify_instance", args=[instance.public_id])
    query = {k: v for k, v in (("show", "" if mine else "all"), ("module", module)) if v}
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
@require(certifies_at)
def overview(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("show") != "all"
    return render(
        request,
        "staffweb/results/certify/list.html",
        {
            "mine": mine,
            "instances": certify_queries.certify_overview(
                request.user, request.institution, mine=mine
            ),
            "removal_count": certify_queries.prepared_removal_count(
                request.user, request.institution
            ),
        },
    )


@require_GET
@require(certifies_at)
def instance_page(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    mine, module = _filters(request, instance)
    rows = certify_queries.ready_results(instance, user=request.user, mine=mine, module=module)
    return render(
        request,
        "staffweb/results/certify/instance.html",
        {
            "instance": instance,
            "rows": rows,
            "mine": mine,
            "module": module,
            "modules": instance.course.modules.all(),
            "course_grade": certify_queries.COURSE_GRADE,
            "sessions": certify_queries.sessions_of(rows),
        },
    )


# ------------------------------------------------------------------------------------------------
# Batches: chosen on the instance page, previewed, certified


def _store_batch(request: HttpRequest, instance: CourseInstance, ids: list[str]) -> str:
    batches = dict(request.session.get(BATCHES, {}))
    while len(batches) >= KEPT_BATCHES:
        batches.pop(next(iter(batches)))
    batch_id = uuid.uuid4().hex
    batches[batch_id] = {"instance": str(instance.public_id), "results": ids, "shown_at": None}
    request.session[BATCHES] = batches
    return batch_id


def _batch(request: HttpRequest, instance: CourseInstance, batch_id: str) -> dict | None:
    batch = request.session.get(BATCHES, {}).get(batch_id)
    if batch is None or batch["instance"] != str(instance.public_id):
        return None
    return batch


def _uuids(values: list[str]) -> list[str]:
    found = []
    for value in values:
        try:
            found.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return found


@require_POST
@require(certifies_at)
def review(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    """Review: the chosen results (or every result shown, one checkbox) become a batch."""
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    mine, module = _filters(request, instance)
    if request.POST.get("all"):
        rows = certify_queries.ready_results(instance, user=request.user, mine=mine, module=module)
        ids = [str(r.public_id) for r in rows]
    else:
        ids = _uuids(request.POST.getlist("result"))
    if not ids:
        messages.error(request, _("Choose at least one result to certify."))
        return redirect(_instance_url(instance, mine, module))
    batch_id = _store_batch(request, instance, ids)
    return redirect("staff_certify_preview", instance_id=instance.public_id, batch_id=batch_id)


def _expired(request: HttpRequest, instance: CourseInstance) -> HttpResponse:
    messages.error(request, _("This review is no longer open. Choose the results again."))
    return redirect(_instance_url(instance))


@never_cache
@require_GET
@require(certifies_at)
def preview_page(request: HttpRequest, instance_id: uuid.UUID, batch_id: str) -> HttpResponse:
    """B-4: exactly what certifying does, as the results are now. Showing it starts the batch's
    clock: certifying needs an authentication after this moment (T-CERT-3)."""
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    batch = _batch(request, instance, batch_id)
    if batch is None:
        return _expired(request, instance)
    results = [
        r
        for r in certify_queries.results_by_public_id(batch["results"])
        if r.course_instance_id == instance.pk
    ]
    shown = preview.build(results, len(batch["results"]))
    batch["results"] = [str(row.result.public_id) for row in shown.rows]
    batch["shown_at"] = time.time()
    request.session.modified = True
    return render(
        request,
        "staffweb/results/certify/preview.html",
        {"instance": instance, "preview": shown, "batch_id": batch_id},
    )


@require_POST
@reauth.resumable
@require(certifies_at)
def certify(request: HttpRequest, instance_id: uuid.UUID, batch_id: str) -> HttpResponse:
    """The formal decision (T-CERT-1): the previewed results at the previewed versions, in one
    transaction, after a re-authentication newer than the preview (T-CERT-3)."""
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    batch = _batch(request, instance, batch_id)
    if batch is None or batch["shown_at"] is None:
        return _expired(request, instance)
    back = redirect("staff_certify_preview", instance_id=instance.public_id, batch_id=batch_id)
    ids = request.POST.getlist("result")
    try:
        versions = dict(zip(ids, map(int, request.POST.getlist("version")), strict=True))
    except ValueError:
        versions = {}
    if not versions or sorted(versions) != sorted(batch["results"]):
        messages.error(request, _("The results sent differ from the review. Review them again."))
        return back
    if not reauth.authenticated_since(request, batch["shown_at"]):
        return reauth.ask(request)
    results = certify_queries.results_by_public_id(list(versions))
    if any(r.course_instance_id != instance.pk for r in results):
        raise Http404
    for result in results:
        result.version = versions[str(result.public_id)]

    def _certify() -> list[Result]:
        if len(results) != len(versions):
            raise StaleResult(
                _("Some of the results are gone since the review. Nothing was certified.")
            )
        return certifying.certify(request.user, results=results)

    if not attempt(request, _certify, _certified_message, refused=_not_certified_message):
        return back
    batches = dict(request.session.get(BATCHES, {}))
    batches.pop(batch_id, None)
    request.session[BATCHES] = batches
    return redirect(_instance_url(instance))


def _certified_message(certified: list[Result]) -> str:
    return ngettext(
        "%(count)d result is certified. The student can see it now.",
        "%(count)d results are certified. The students can see them now.",
        len(certified),
    ) % {"count": len(certified)}


def _not_certified_message(error: DomainError) -> str:
    if isinstance(error, StaleResult):
        return _(
            "Nothing was certified. %(reason)s The review below shows the results as they are."
        ) % {"reason": error}
    return _("Nothing was certified. %(reason)s") % {"reason": error}


# ------------------------------------------------------------------------------------------------
# Before certifying: un-mark or correct one result (T-CERT-1)


def _ready_result(request: HttpRequest, instance: CourseInstance, result_id) -> Result:
    found = certify_queries.results_by_public_id([result_id])
    if not found or found[0].course_instance_id != instance.pk:
        raise Http404
    return found[0]


@require_POST
@require(certifies_at)
def unmark(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    """Back to draft. The row's button sends "<public id>:<version>"."""
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    mine, module = _filters(request, instance)
    public_id, _sep, version = request.POST.get("unmark", "").partition(":")
    if not _uuids([public_id]) or not version.isdigit():
        raise Http404
    result = _ready_result(request, instance, public_id)
    result.version = int(version)
    attempt(
        request,
        lambda: reporting.unmark(request.user, results=[result]),
        lambda _moved: (
            _("The result of %(name)s is a draft again. The reporter can change it.")
            % {"name": result.person.full_name}
        ),
    )
    return redirect(_instance_url(instance, mine, module))


@require_http_methods(["GET", "POST"])
@require(certifies_at)
def correct(request: HttpRequest, instance_id: uuid.UUID, result_id: uuid.UUID) -> HttpResponse:
    instance = course_instance_or_404(request, instance_id, Rights.may_certify, with_modules=True)
    result = _ready_result(request, instance, result_id)
    if result.state != ResultState.READY:
        messages.error(request, _("Only a result marked as ready can be corrected here."))
        return redirect(_instance_url(instance))
    form = CorrectForm(
        request.POST if request.method == "POST" else None,
        grades=certify_queries.grades_for(result),
        initial={
            "version": result.version,
            "grade": result.grade_id,
            "examination_date": result.examination_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        result.version = version
        entry = Entry(
            person=result.person,
            grade=form.cleaned_data["grade"],
            examination_date=form.cleaned_data["examination_date"],
            annotations=dict(result.annotations),
            version=version,
        )
        try:
            reporting.correct(request.user, result=result, entry=entry)
        except InvalidEntries as error:
            for message in error.errors.get(0, [str(error)]):
                form.add_error(None, message)
        except ResultError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The result of %(name)s is corrected.") % {"name": result.person.full_name},
            )
            return redirect(_instance_url(instance))
    return render(
        request,
        "staffweb/results/certify/correct.html",
        {"instance": instance, "result": result, "form": form},
    )


# ------------------------------------------------------------------------------------------------
# Anonymous exams: the activity session's Certify tab (T-ANON-1, B-6)

SESSION_STATES = {
    "ready": (ResultState.READY,),
    "certified": (ResultState.CERTIFIED, ResultState.REMOVAL_PREPARED),
}


@require_GET
@require(certifies_at)
def session_page(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Codes next to names, for examiners of the session's courses only: before certification
    no other teacher-facing page links a code to a person (B-6)."""
    session = certify_queries.session(session_id)
    if session is None:
        raise Http404
    instances = certify_queries.certifiable_in_session(rights(request), session)
    if not instances:
        raise NotAllowed
    status = request.GET.get("status", "ready")
    if status not in SESSION_STATES:
        status = "ready"
    return render(
        request,
        "staffweb/results/certify/session.html",
        {
            "session": session,
            "status": status,
            "rows": certify_queries.session_results(session, instances, SESSION_STATES[status]),
            "instances": instances,
        },
    )


@require_GET
@require(certifies_at)
def removals(request: HttpRequest) -> HttpResponse:
    """Prepared removals waiting for this examiner (T-REM-1)."""
    return render(
        request,
        "staffweb/results/certify/removals.html",
        {"rows": certify_queries.prepared_removals(request.user, request.institution)},
    )
