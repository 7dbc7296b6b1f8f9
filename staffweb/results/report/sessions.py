"""Report pages of one activity session: report by anonymisation code (T-ANON-1, B-6) and the
points-to-grades table (B-8).

B-6 is enforced here, by the server: the report-by-code page is built from
results.queries.report.code_sheet, whose rows carry codes and results only; the code → person map
stays in this process. Nothing the page sends names a student - no name, identity number, person
or result id - and the acts it calls (results.services.codes) answer in messages that name none.

Rights as in staffweb.results.report.views: 403 without any reporting right at the university,
404 for a session of another university, 403 for one with no course instance the person may
report on.
"""

import datetime
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession
from ladokportal import clock
from ladokportal.attempts import attempt
from people.models import Person
from results import anonymity, validation
from results.errors import NotAllowed, ResultError
from results.models import Result, ResultState
from results.queries import report as report_queries
from results.rules import reports_at
from results.services import annotations, codes
from results.validation import Entry
from staffweb.access import require, rights
from staffweb.results.report.forms import MarkReadyForm, ThresholdsForm, UnmarkForm
from staffweb.results.report.sheet import (
    GradeOptions,
    Pager,
    Posted,
    code_rows,
    read_sheet,
    sheet_context,
)
from staffweb.results.report.views import (
    first_error,
    proposal_problem,
    ready_form,
    ready_message,
    saved_message,
    unmarked_message,
)


def _session_or_404(
    request: HttpRequest, session_id: uuid.UUID
) -> tuple[ActivitySession, list[CourseInstance]]:
    found = report_queries.session(session_id)
    if found is None:
        raise Http404
    instances = report_queries.reportable_course_instances(found, rights(request))
    if not instances:
        raise NotAllowed
    return found, instances


def module_key(module: Module) -> str:
    return f"{module.course.code}:{module.code}"


def _chosen_module(request: HttpRequest, found: ActivitySession):
    """The module the page is about (?module=COURSE:MODULE), or None with the choice to make."""
    modules = report_queries.session_modules(found, rights(request))
    wanted = request.GET.get("module", "")
    if not wanted and len(modules) == 1:
        return modules[0], modules
    return next((m for m in modules if module_key(m) == wanted), None), modules


def _url(
    name: str, found: ActivitySession, module: Module, anchor: str = "", page: str = ""
) -> str:
    query = {"module": module_key(module)}
    if page and page.isdigit() and page != "1":
        query["page"] = page
    url = reverse(name, args=[found.public_id]) + "?" + urlencode(query)
    return f"{url}#{anchor}" if anchor else url


def _page(request: HttpRequest) -> str:
    return request.GET.get("page", "")


def _choose(request: HttpRequest, found: ActivitySession, modules: list[Module], name: str):
    return render(
        request,
        "staffweb/results/report/choose_module.html",
        {"session": found, "modules": modules, "url_name": name},
    )


def _session_day(found: ActivitySession) -> datetime.date | None:
    day = clock.date_of(found.starts_at)
    return day if day <= clock.today() else None


# --- Report by code -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(reports_at)
def code_sheet(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """T-ANON-1: grades, dates and annotations entered against anonymisation codes; Save maps
    codes to students on the server and stores drafts linked to the session."""
    found, instances = _session_or_404(request, session_id)
    if not found.anonymous:
        raise Http404
    module, modules = _chosen_module(request, found)
    if module is None:
        return _choose(request, found, modules, "staff_report_codes")
    data = report_queries.code_sheet(found, module, instances)
    pager = Pager.of(_page(request), len(data.rows), data.kinds)
    data.rows = pager.take(data.rows)
    options = GradeOptions(data.grades)
    rows = code_rows(data, options, _session_day(found))
    if request.method == "GET":
        return _render(request, data, rows, pager=pager)
    return _save(request, data, rows, options, pager)


def _render(
    request, data, rows, *, pager: Pager, header=None, problem: str = "", notice: str = ""
) -> HttpResponse:
    module = data.module
    found, page = data.activity_session, str(pager.number)
    return render(
        request,
        "staffweb/results/report/code_sheet.html",
        {
            "session": data.activity_session,
            "module": module,
            "module_key": module_key(module),
            "save_url": _url("staff_report_codes", found, module, page=page),
            "ready_url": _url("staff_report_codes_ready", found, module, page=page),
            "unmark_url": _url("staff_report_codes_unmark", found, module, page=page),
            "page_base": _url("staff_report_codes", found, module),
            "pager": pager,
            "thresholds_url": _url("staff_report_thresholds", data.activity_session, module),
            "ready_form": _ready_form(request, data.activity_session, module),
            **sheet_context(rows, data.kinds, header=header, problem=problem, notice=notice),
        },
    )


def _ready_form(request, found: ActivitySession, module: Module, data=None) -> MarkReadyForm:
    instance = next(ci for ci in found.course_instances.all() if ci.course_id == module.course_id)
    return ready_form(request, instance, module.course, data)


def _save(
    request, data: report_queries.CodeSheet, rows, options: GradeOptions, pager: Pager
) -> HttpResponse:
    pairs = [(item, row) for item, row in zip(data.rows, rows, strict=True) if row.editable]
    reading = read_sheet(request.POST, pairs, data.kinds, options, lambda *_a: data.thresholds)
    # The row's open result (known by its version) must still be the open one.
    stale = [
        item.code
        for item, _row, row_in in reading.filled
        if (item.result is None) != (row_in.version is None)
    ]
    if stale:
        problem = _(
            "Someone else reported or changed results under these codes after you opened the "
            "page: %(codes)s. Nothing was saved; reload the page to see their change."
        ) % {"codes": ", ".join(stale)}
        return _render(request, data, rows, header=reading.header, problem=problem, pager=pager)
    groups = _groups(data, reading)
    if any(row.errors for row in reading.by_key.values()):
        problem = _errors_problem(reading.by_key)
        return _render(request, data, rows, header=reading.header, problem=problem, pager=pager)
    if reading.proposals:
        notice = proposal_problem(reading.proposals)
        return _render(request, data, rows, header=reading.header, notice=notice, pager=pager)
    if not groups:
        messages.info(request, _("Nothing to save: no grade was entered or changed."))
        return redirect(_back(request, data))
    return _store(request, data, rows, reading, groups, pager=pager)


def _back(request: HttpRequest, data: report_queries.CodeSheet, anchor: str = "") -> str:
    return _url("staff_report_codes", data.activity_session, data.module, anchor, _page(request))


def _groups(data: report_queries.CodeSheet, reading) -> dict:
    """The rows to save, per course instance the codes' students take the course on, checked
    by results.validation (errors go on the rows)."""
    groups: dict[int, tuple[CourseInstance, list[Entry], list[str]]] = {}
    for item, row, row_in in reading.filled:
        target = data.targets[item.code]
        if target.open_elsewhere is not None:
            row.errors.append(
                _(
                    "A result for this code's student has already been reported another way "
                    "(by name or on another session); change it there."
                )
            )
        if row.errors:
            continue
        instance = target.course_instance
        group = groups.setdefault(instance.pk, (instance, [], []))
        group[1].append(_entry(target.person_id, item.result, row_in))
        group[2].append(row.key)
    for instance, entries, keys in groups.values():
        for index, found in validation.check_entries(instance, data.module, entries).items():
            # B-6: next to a code, nothing about the student's own situation.
            reading.by_key[keys[index]].errors += [anonymity.by_code(m) for m in found]
    return groups


def _store(
    request, data: report_queries.CodeSheet, rows, reading, groups, *, pager: Pager
) -> HttpResponse:
    try:
        counts = codes.save_code_sheet(
            request.user,
            activity_session=data.activity_session,
            module=data.module,
            groups=[(instance, entries) for instance, entries, _keys in groups.values()],
        )
    except ResultError as error:
        problem = error.message
        return _render(request, data, rows, header=reading.header, problem=problem, pager=pager)
    messages.success(request, saved_message(counts))
    return redirect(_back(request, data))


def _errors_problem(by_key: dict) -> str:
    count = sum(1 for row in by_key.values() if row.errors)
    return ngettext(
        "%(count)d row has errors; nothing was saved.",
        "%(count)d rows have errors; nothing was saved.",
        count,
    ) % {"count": count}


def _entry(person_id: int, own: Result | None, row_in: Posted) -> Entry:
    # Only the key is needed: the services read the person by id, and nothing here shows it.
    return Entry(
        person=Person(pk=person_id),
        grade=row_in.grade,
        examination_date=row_in.date,
        annotations=row_in.annotations,
        result=own,
        version=row_in.version if own is not None else None,
    )


# --- Mark as ready and un-mark by code ------------------------------------------------------------


def _picked(found, module, selected: dict[str, int], state: str | None):
    pairs = report_queries.session_open_results(found, module, list(selected))
    for code, result in pairs:
        result.version = selected[code]
    return [(c, r) for c, r in pairs if state is None or r.state == state]


def _acting_on_codes(request: HttpRequest, session_id: uuid.UUID):
    """The anonymous session and module a bulk act by code is about, and the way back."""
    found, _instances = _session_or_404(request, session_id)
    module, _modules = _chosen_module(request, found)
    if module is None or not found.anonymous:
        raise Http404
    back = redirect(_url("staff_report_codes", found, module, "ready", _page(request)))
    return found, module, back


@require_POST
@require(reports_at)
def code_mark_ready(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    found, module, back = _acting_on_codes(request, session_id)
    form = _ready_form(request, found, module, request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back
    if form.cleaned_data["all"]:
        pairs = [
            (c, r)
            for c, r in report_queries.session_open_results(found, module, None)
            if r.state == ResultState.DRAFT
        ]
    else:
        pairs = _picked(found, module, form.selected(), None)
    if not pairs:
        messages.error(request, _("Tick at least one draft to mark as ready."))
        return back
    results = [r for _c, r in pairs]
    notify = form.cleaned_data["notify"]
    attempt(
        request,
        lambda: codes.mark_ready_by_code(
            request.user, results=results, graded_by=form.cleaned_data["graded_by"], notify=notify
        ),
        lambda _marked: ready_message(len(results), notify),
    )
    return back


@require_POST
@require(reports_at)
def code_unmark(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    found, module, back = _acting_on_codes(request, session_id)
    pairs = _picked(found, module, UnmarkForm(request.POST).selected(), None)
    if not pairs:
        messages.error(request, _("Tick at least one result marked as ready."))
        return back
    results = [r for _c, r in pairs]
    attempt(
        request,
        lambda: codes.unmark_by_code(request.user, results=results),
        lambda _unmarked: unmarked_message(len(results)),
    )
    return back


# --- Points to grades (B-8) -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(reports_at)
def thresholds(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The session's table: the minimum points for each grade of the module's scale."""
    found, _instances = _session_or_404(request, session_id)
    module, modules = _chosen_module(request, found)
    if module is None:
        return _choose(request, found, modules, "staff_report_thresholds")
    grades = report_queries.scale_grades(module.grading_scale_id)
    current = report_queries.session_thresholds(found, module)
    initial = {f"min-{g.code}": current[g.pk] for g in grades if g.pk in current}
    form = ThresholdsForm(
        request.POST if request.method == "POST" else None, grades=grades, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = annotations.set_thresholds(
                request.user, session=found, module=module, minimums=form.minimums()
            )
        except ResultError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "The table is saved: %(count)d grade has a minimum.",
                    "The table is saved: %(count)d grades have a minimum.",
                    count,
                )
                % {"count": count},
            )
            return redirect(_url("staff_report_thresholds", found, module))
    return render(
        request,
        "staffweb/results/report/thresholds.html",
        {
            "session": found,
            "module": module,
            "form": form,
            "save_url": _url("staff_report_thresholds", found, module),
            "codes_url": _url("staff_report_codes", found, module),
        },
    )
