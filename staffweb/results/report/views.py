"""The staff Report pages (Rapportera: T-REP-1..4, T-REP-2, B-6): the course instances a person
may report on, a module choice with annotation columns, and the report sheet of a module or of
the course grade, with Save, Mark as ready, Un-mark, Discard and Add a student by number.

Rights (T-ROLE-1, DESIGN.md "Who sees what"): staff without any reporting right at the current
university get 403 on every page; a course instance of another university is a 404, one of a
course they hold no reporting right on a 403. Identity numbers travel only in POST bodies; the
students added by number are kept in the session.

The report-by-code and points-to-grades pages of activity sessions are in
staffweb.results.report.sessions.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import CourseInstance, Module
from ladokportal.attempts import attempt
from results import validation
from results.errors import InvalidEntries, ResultError
from results.models import ResultState
from results.queries import common as common_queries
from results.queries import report as report_queries
from results.rules import Rights, reports_at
from results.services import annotations, reporting
from results.validation import Entry
from staffweb.access import course_instance_or_404, require
from staffweb.results.report.forms import (
    COURSE,
    ColumnForm,
    DiscardForm,
    FindStudentForm,
    InstanceSearchForm,
    MarkReadyForm,
    RemoveColumnForm,
    UnmarkForm,
)
from staffweb.results.report.sheet import (
    GradeOptions,
    Pager,
    Posted,
    RowView,
    SheetForm,
    name_rows,
    read_sheet,
    sheet_context,
)

PER_PAGE = 50
# At most this many students added by number are remembered per course instance (T-REP-4).
EXTRA_LIMIT = 100


def _target_or_404(
    request: HttpRequest, instance_id: uuid.UUID, target: str
) -> tuple[CourseInstance, Module | None]:
    course_instance = course_instance_or_404(
        request, instance_id, Rights.may_report, with_modules=target != COURSE
    )
    return course_instance, _module_for(course_instance, target)


def _module_for(course_instance: CourseInstance, target: str) -> Module | None:
    """The module the target names (None for the course grade), among the modules fetched with
    the instance; 404 if the course has none by that code."""
    if target == COURSE:
        return None
    module = common_queries.module(course_instance, target)
    if module is None:
        raise Http404
    return module


def target_code(module: Module | None) -> str:
    return module.code if module else COURSE


def _sheet_url(
    course_instance: CourseInstance, module: Module | None, anchor: str = "", page: str = ""
) -> str:
    url = reverse("staff_report_sheet", args=[course_instance.public_id, target_code(module)])
    if page and page.isdigit() and page != "1":
        url += f"?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _page(request: HttpRequest) -> str:
    """The sheet's page the request came from (?page=), kept on the way back."""
    return request.GET.get("page", "")


# --- Course instances and modules -----------------------------------------------------------------


@require_GET
@require(reports_at)
def instance_list(request: HttpRequest) -> HttpResponse:
    form = InstanceSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    instances = report_queries.instance_list(request.user, request.institution.pk, search)
    page = Paginator(instances, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "staffweb/results/report/list.html",
        {"form": form, "page": page, "search": search},
    )


@require_GET
@require(reports_at)
def instance_page(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    """Choose a module or the course grade; add or remove annotation columns (T-REP-2)."""
    course_instance = course_instance_or_404(request, instance_id, Rights.may_report)
    overview = report_queries.overview(course_instance)
    modules = [t.module for t in overview.targets if t.module is not None]
    return render(
        request,
        "staffweb/results/report/instance.html",
        {
            "instance": course_instance,
            "overview": overview,
            "column_form": ColumnForm(modules=modules),
        },
    )


def _back_to_instance(course_instance: CourseInstance) -> HttpResponse:
    response = redirect("staff_report_instance", instance_id=course_instance.public_id)
    response["Location"] += "#columns"
    return response


@require_POST
@require(reports_at)
def column_add(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    course_instance = course_instance_or_404(
        request, instance_id, Rights.may_report, with_modules=True
    )
    form = ColumnForm(request.POST, modules=list(course_instance.course.modules.all()))
    if not form.is_valid():
        messages.error(request, _("Choose where the column goes and what it holds."))
        return _back_to_instance(course_instance)
    data = form.cleaned_data
    attempt(
        request,
        lambda: annotations.add_column(
            request.user,
            course_instance=course_instance,
            module=_module_for(course_instance, data["target"]),
            kind=data["kind"],
            shown_to_student=data["shown_to_student"],
        ),
        lambda column: _("The column “%(kind)s” is added.") % {"kind": column.get_kind_display()},
    )
    return _back_to_instance(course_instance)


@require_POST
@require(reports_at)
def column_remove(request: HttpRequest, instance_id: uuid.UUID) -> HttpResponse:
    course_instance = course_instance_or_404(
        request, instance_id, Rights.may_report, with_modules=True
    )
    form = RemoveColumnForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    attempt(
        request,
        lambda: annotations.remove_column(
            request.user,
            course_instance=course_instance,
            module=_module_for(course_instance, data["target"]),
            kind=data["kind"],
        ),
        _("The column is removed. Values already reported are kept."),
    )
    return _back_to_instance(course_instance)


# --- The report sheet -----------------------------------------------------------------------------


def _extra_key(course_instance: CourseInstance) -> str:
    return f"results.report.extra.{course_instance.public_id}"


def _extra_ids(request: HttpRequest, course_instance: CourseInstance) -> list[int]:
    return [int(i) for i in request.session.get(_extra_key(course_instance), [])]


def ready_form(
    request: HttpRequest, course_instance: CourseInstance, course, data=None
) -> MarkReadyForm:
    return MarkReadyForm(
        data,
        teachers=list(report_queries.grading_teachers(course, course_instance.institution_id)),
        examiners=list(report_queries.examiners(course, course_instance.institution_id)),
        me=request.user,
    )


def _render_sheet(
    request: HttpRequest,
    sheet: report_queries.Sheet,
    rows: list[RowView],
    *,
    header: SheetForm | None = None,
    find: FindStudentForm | None = None,
    pager: Pager,
    problem: str = "",
    notice: str = "",
) -> HttpResponse:
    course_instance, module = sheet.course_instance, sheet.module
    base = _sheet_url(course_instance, module)
    query = f"?{pager.query}" if pager.query else ""
    return render(
        request,
        "staffweb/results/report/sheet.html",
        {
            "instance": course_instance,
            "module": module,
            "target": target_code(module),
            "find_form": find or FindStudentForm(),
            "course_grade": module is None,
            **sheet_context(rows, sheet.kinds, header=header, problem=problem, notice=notice),
            "pager": pager,
            "page_base": base,
            "discard_base": f"{base}discard/",
            "save_url": base + query,
            "ready_url": f"{base}ready/{query}",
            "unmark_url": f"{base}unmark/{query}",
            "ready_form": ready_form(request, course_instance, course_instance.course),
            "scale": module.grading_scale if module else course_instance.course.grading_scale,
        },
    )


@require_http_methods(["GET", "POST"])
@require(reports_at)
def sheet(request: HttpRequest, instance_id: uuid.UUID, target: str) -> HttpResponse:
    """T-REP-1: every participant with the inputs of their open or new result; Save stores
    drafts of the rows the person filled or changed, all or nothing."""
    course_instance, module = _target_or_404(request, instance_id, target)
    data = report_queries.sheet(course_instance, module, _extra_ids(request, course_instance))
    pager = Pager.of(_page(request), len(data.rows), data.kinds)
    data.rows = pager.take(data.rows)
    options = GradeOptions(data.grades)
    rows = name_rows(data, options)
    if request.method == "GET":
        return _render_sheet(request, data, rows, pager=pager)
    return _save(request, data, rows, options, pager)


def _save(
    request: HttpRequest,
    data: report_queries.Sheet,
    rows: list[RowView],
    options: GradeOptions,
    pager: Pager,
) -> HttpResponse:
    pairs = [(item, row) for item, row in zip(data.rows, rows, strict=True) if row.editable]

    def thresholds_for(item: report_queries.SheetRow, row_in: Posted):
        session_id = item.open_result.activity_session_id if item.open_result else None
        return data.thresholds.for_row(session_id, row_in.date)

    reading = read_sheet(request.POST, pairs, data.kinds, options, thresholds_for)
    # The open result each row showed must still be the open one (its public id came back).
    stale = [
        item.person.full_name
        for item, _row, row_in in reading.filled
        if (item.open_result.public_id.hex if item.open_result else "") != row_in.result_id
    ]
    if stale:
        problem = _(
            "Someone else reported or changed results of these students after you opened the "
            "page: %(names)s. Nothing was saved; reload the page to see their change."
        ) % {"names": ", ".join(stale)}
        return _render_sheet(
            request, data, rows, header=reading.header, problem=problem, pager=pager
        )
    ready = [(item, row, row_in) for item, row, row_in in reading.filled if not row_in.errors]
    entries = [_entry(item, row_in) for item, _row, row_in in ready]
    keys = [row.key for _item, row, _row_in in ready]
    if reading.parse_errors or reading.proposals:
        # Nothing is saved; every row's problems are shown at once.
        for index, found in validation.check_entries(
            data.course_instance, data.module, entries
        ).items():
            reading.by_key[keys[index]].errors += found
        notice = "" if reading.parse_errors else proposal_problem(reading.proposals)
        return _render_sheet(request, data, rows, header=reading.header, notice=notice, pager=pager)
    if not entries:
        messages.info(request, _("Nothing to save: no grade was entered or changed."))
        return redirect(_sheet_url(data.course_instance, data.module, page=_page(request)))
    return _store(request, data, rows, reading, entries=entries, keys=keys, pager=pager)


def _store(
    request, data, rows, reading, *, entries: list[Entry], keys: list[str], pager: Pager
) -> HttpResponse:
    try:
        counts = reporting.save_drafts(
            request.user,
            course_instance=data.course_instance,
            module=data.module,
            entries=entries,
        )
    except InvalidEntries as error:
        for index, found in error.errors.items():
            reading.by_key[keys[index]].errors += found
        return _render_sheet(
            request, data, rows, header=reading.header, problem=str(error), pager=pager
        )
    except ResultError as error:  # StaleResult names the students; nothing was saved
        return _render_sheet(
            request, data, rows, header=reading.header, problem=str(error), pager=pager
        )
    # T-REP-3: a marked-ready result stays ready when edited; the message must not call it a draft.
    ready = sum(e.result is not None and e.result.state == "ready" for e in entries)
    messages.success(request, saved_message(counts, ready=ready))
    return redirect(_sheet_url(data.course_instance, data.module, page=_page(request)))


def _entry(item: report_queries.SheetRow, row_in: Posted) -> Entry:
    return Entry(
        person=item.person,
        grade=row_in.grade,
        examination_date=row_in.date,
        annotations=row_in.annotations,
        result=item.open_result,
        version=row_in.version if item.open_result else None,
    )


def proposal_problem(proposals: int) -> str:
    return ngettext(
        "A grade was proposed from the points for %(count)d row. Check it and press Save "
        "to confirm; nothing is saved yet.",
        "Grades were proposed from the points for %(count)d rows. Check them and press Save "
        "to confirm; nothing is saved yet.",
        proposals,
    ) % {"count": proposals}


def saved_message(counts: dict[str, int], *, ready: int = 0) -> str:
    """What saving did; results marked as ready that were edited stay ready (T-REP-3)."""
    if ready:
        return ngettext(
            "Saved: %(created)d new, %(changed)d changed; %(ready)d of them stays marked as ready.",
            "Saved: %(created)d new, %(changed)d changed; %(ready)d of them stay marked as ready.",
            ready,
        ) % {**counts, "ready": ready}
    return _("Saved as drafts: %(created)d new, %(changed)d changed.") % counts


# --- Mark as ready, un-mark, discard --------------------------------------------------------------


def _hex_ids(selected: dict[str, int]) -> dict[uuid.UUID, int]:
    found = {}
    for key, version in selected.items():
        try:
            found[uuid.UUID(hex=key)] = version
        except ValueError:
            continue
    return found


def _chosen(course_instance, module, selected: dict[str, int], *, state: str):
    """The open results ticked on the sheet, carrying the versions the page showed."""
    versions = _hex_ids(selected)
    results = report_queries.open_results(course_instance, module, list(versions))
    for result in results:
        result.version = versions[result.public_id]
    return [r for r in results if r.state == state] if state else results


@require_POST
@require(reports_at)
def mark_ready(request: HttpRequest, instance_id: uuid.UUID, target: str) -> HttpResponse:
    """Klarmarkera (T-REP-3): the ticked drafts, or every draft, with the grading teacher and
    whom to notify."""
    course_instance, module = _target_or_404(request, instance_id, target)
    form = ready_form(request, course_instance, course_instance.course, request.POST)
    back = redirect(_sheet_url(course_instance, module, "ready", _page(request)))
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back
    if form.cleaned_data["all"]:
        results = [
            r
            for r in report_queries.open_results(course_instance, module, None)
            if r.state == ResultState.DRAFT
        ]
    else:
        results = _chosen(course_instance, module, form.selected(), state="")
    if not results:
        messages.error(request, _("Tick at least one draft to mark as ready."))
        return back
    notify = form.cleaned_data["notify"]
    attempt(
        request,
        lambda: reporting.mark_ready(
            request.user, results=results, graded_by=form.cleaned_data["graded_by"], notify=notify
        ),
        lambda moved: ready_message(len(moved), notify),
    )
    return back


def ready_message(count: int, notify) -> str:
    text = ngettext(
        "%(count)d result is marked as ready for certification.",
        "%(count)d results are marked as ready for certification.",
        count,
    ) % {"count": count}
    if notify is not None:
        text += " " + _("%(name)s is notified by e-mail.") % {"name": notify.display_name}
    return text


def first_error(form) -> str:
    return next(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@require(reports_at)
def unmark(request: HttpRequest, instance_id: uuid.UUID, target: str) -> HttpResponse:
    """Send marked-ready results back to draft (T-REP-3)."""
    course_instance, module = _target_or_404(request, instance_id, target)
    back = redirect(_sheet_url(course_instance, module, "ready", _page(request)))
    results = _chosen(course_instance, module, UnmarkForm(request.POST).selected(), state="")
    if not results:
        messages.error(request, _("Tick at least one result marked as ready."))
        return back
    attempt(
        request,
        lambda: reporting.unmark(request.user, results=results),
        lambda moved: unmarked_message(len(moved)),
    )
    return back


def unmarked_message(count: int) -> str:
    return ngettext(
        "%(count)d result is a draft again.", "%(count)d results are drafts again.", count
    ) % {"count": count}


@require_http_methods(["GET", "POST"])
@require(reports_at)
def discard(
    request: HttpRequest,
    instance_id: uuid.UUID,
    target: str,
    result_id: uuid.UUID,
) -> HttpResponse:
    """GET asks for confirmation; POST discards the draft (it stays in the history)."""
    course_instance, module = _target_or_404(request, instance_id, target)
    found = report_queries.open_results(course_instance, module, [result_id])
    if not found or found[0].state != ResultState.DRAFT:
        raise Http404
    result = found[0]
    form = DiscardForm(request.POST or None, initial={"version": result.version})
    if request.method == "POST" and form.is_valid():
        result.version = form.cleaned_data["version"]
        attempt(
            request,
            lambda: reporting.discard_draft(request.user, result=result),
            lambda _discarded: (
                _("The draft of %(name)s is discarded.") % {"name": result.person.full_name}
            ),
        )
        return redirect(_sheet_url(course_instance, module))
    return render(
        request,
        "staffweb/results/report/discard.html",
        {
            "instance": course_instance,
            "module": module,
            "target": target_code(module),
            "result": result,
            "form": form,
        },
    )


# --- T-REP-4: a student missing from the list -----------------------------------------------------


@require_POST
@require(reports_at)
def find_student(request: HttpRequest, instance_id: uuid.UUID, target: str) -> HttpResponse:
    """The number is posted; a student who is or was registered on the course joins the sheet
    (remembered in the session, so no number or id goes into a URL)."""
    course_instance, module = _target_or_404(request, instance_id, target)
    form = FindStudentForm(request.POST)
    if not form.is_valid():
        data = report_queries.sheet(course_instance, module, _extra_ids(request, course_instance))
        pager = Pager.of(None, len(data.rows), data.kinds)
        data.rows = pager.take(data.rows)
        rows = name_rows(data, GradeOptions(data.grades))
        return _render_sheet(request, data, rows, find=form, pager=pager)
    person = report_queries.find_for_course(course_instance.course, form.cleaned_data["number"])
    if person is None:
        messages.error(
            request,
            _("No student with that number is or has been registered on %(course)s.")
            % {"course": course_instance.course.code},
        )
        return redirect(_sheet_url(course_instance, module, "find"))
    extra = [person.pk, *(i for i in _extra_ids(request, course_instance) if i != person.pk)]
    request.session[_extra_key(course_instance)] = extra[:EXTRA_LIMIT]
    messages.success(request, _("%(name)s is on the list below.") % {"name": person.full_name})
    # On a sheet long enough to have pages, go to the page the student is on.
    ids = list(
        report_queries.participants(course_instance, module, extra).values_list("pk", flat=True)
    )
    pager = Pager.of(None, len(ids), report_queries.annotation_kinds(course_instance, module))
    page = str(pager.page_of(ids.index(person.pk))) if person.pk in ids else ""
    return redirect(_sheet_url(course_instance, module, f"row-p{person.public_id.hex}", page))
