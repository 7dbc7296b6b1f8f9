"""The report sheet as a page draws it and as it comes back (T-REP-1, T-REP-4, B-6, B-8): one
row per student (or per anonymisation code), the inputs of the open or new result, and the
parsing of what was posted into results.validation.Entry rows.

Both sheets - by name and by code - share this module. Rows are keyed by a field prefix: `p` and
the person's public id on the name sheet, `c` and the code on the code sheet (B-6: nothing of the
person there). The grade <select> is rendered once per chosen grade and reused by every row, so
500 rows cost 500 string look-ups, not 500 × options template renders.
"""

import datetime
import functools
import hashlib
import json
import uuid
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Grade
from ladokportal import clock
from results import points
from results.models import AnnotationKind

DATE_FORMAT = "%Y-%m-%d"


def fingerprint(grade: str, date: str, annotations: dict[str, str]) -> str:
    """A short digest of what a row showed, posted back to tell a changed row from one left
    alone even when someone else changed the result meanwhile."""
    text = json.dumps([grade, date, {k: v for k, v in sorted(annotations.items()) if v}])
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


class GradeOptions:
    """The <option> list of one grading scale, rendered once per selected grade."""

    def __init__(self, grades: list[Grade]) -> None:
        self.grades = grades
        self.by_code = {g.code: g for g in grades}
        self._cache: dict[str, SafeString] = {}

    def html(self, selected: str) -> SafeString:
        if selected not in self._cache:
            empty = format_html('<option value="">{}</option>', _("No grade"))
            options = format_html_join(
                "",
                '<option value="{}"{}>{} – {}</option>',
                (
                    (g.code, " selected" if g.code == selected else "", g.code, g.name)
                    for g in self.grades
                ),
            )
            self._cache[selected] = empty + options
        return self._cache[selected]


@dataclass
class Cell:
    """One annotation input of a row."""

    kind: str
    name: str
    value: str
    numeric: bool
    label: str


@dataclass
class RowView:
    """What the template draws for one row."""

    key: str
    heading: str
    state: str
    editable: bool = True
    identity: str = ""
    certified: str = ""
    note: str = ""
    grade: str = ""
    date: str = ""
    cells: list[Cell] = field(default_factory=list)
    proposed: str = ""
    result_id: str = ""
    version: str = ""
    shown: str = ""
    errors: list[str] = field(default_factory=list)
    select: str = ""  # "ready" (a draft), "unmark" (marked ready) or nothing
    select_value: str = ""
    discard: str = ""  # the public id of a draft that may be discarded
    # The timeline (B-3) of the certified result and of the open one, one click from the row.
    certified_timeline: str = ""
    open_timeline: str = ""
    modules_passed: bool | None = None
    options: SafeString = field(default_factory=SafeString)

    @property
    def first_input(self) -> str:
        return f"{self.key}-grade"

    @property
    def pick_label(self) -> str:
        """The tick's label (visible on a phone, read out on a laptop)."""
        if self.select == "ready":
            return _("Mark %(name)s as ready") % {"name": self.heading}
        return _("Send %(name)s back to draft") % {"name": self.heading}

    @property
    def discard_label(self) -> str:
        return _("the draft of %(name)s") % {"name": self.heading}

    @property
    def carried(self) -> str:
        """What the row's one hidden input carries back: the open result's public id (name
        sheet only), its version and the fingerprint of what was shown. One field per row, not
        three: a sheet of 500 posts as few fields as it can (DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
        return f"{self.result_id}.{self.version}.{self.shown}"


def input_cells(key: str, kinds: list[str], values: dict[str, str]) -> list[Cell]:
    return [
        Cell(
            kind=kind,
            name=f"{key}-{kind}",
            value=values.get(kind, ""),
            numeric=kind == AnnotationKind.POINTS,
            label=AnnotationKind(kind).label,
        )
        for kind in kinds
    ]


def column_labels(kinds: list[str]) -> list[tuple[str, str]]:
    return [(kind, AnnotationKind(kind).label) for kind in kinds]


def sheet_context(
    rows: list, kinds: list[str], *, header=None, problem: str = "", notice: str = ""
) -> dict:
    """What the report sheet and the report-by-code sheet show alike: the rows and their
    columns, which bulk acts apply, the errors and the header form."""
    return {
        "rows": rows,
        "columns": column_labels(kinds),
        "has_drafts": any(r.select == "ready" for r in rows),
        "has_ready": any(r.select == "unmark" for r in rows),
        "with_errors": [r for r in rows if r.errors],
        "problem": problem,
        "notice": notice,
        "header": header or SheetForm(),
        "today": clock.today().isoformat(),
        "readonly_span": 2 + len(kinds),
    }


# --- Reading what came back -----------------------------------------------------------------------


class _RowForm(forms.Form):
    grade = forms.CharField(required=False, max_length=5)
    date = forms.DateField(
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )
    state = forms.RegexField(
        regex=r"^(?:[0-9a-f]{32})?\.(?:[1-9][0-9]{0,8})?\.(?:[0-9a-f]{16})?$", required=False
    )


def _row_form_class(kinds: list[str]) -> type[forms.Form]:
    extra = {kind: forms.CharField(required=False, max_length=500) for kind in kinds}
    return type("RowForm", (_RowForm,), extra)


@dataclass
class Posted:
    """One row as it came back: the raw text (to show again) and what it means."""

    key: str
    grade_code: str
    date_text: str
    annotations: dict[str, str]
    result_id: str
    version: int | None
    shown: str
    grade: Grade | None = None
    date: datetime.date | None = None
    errors: list[str] = field(default_factory=list)
    proposed: bool = False

    @property
    def is_open(self) -> bool:
        """The row showed an open result (its version came with it)."""
        return self.version is not None

    @property
    def filled(self) -> bool:
        """Whether the row goes to the service: an open row the person changed, or a new row
        with a grade or an annotation (an empty grade alone is no row)."""
        if self.is_open:
            return fingerprint(self.grade_code, self.date_text, self.annotations) != self.shown
        return bool(self.grade_code) or any(self.annotations.values())


def read_rows(
    data: QueryDict, keys: list[str], kinds: list[str], options: GradeOptions
) -> dict[str, Posted]:
    """Every row of the sheet as posted, parsed with one small form per row. A row the form
    refuses carries its messages; it is shown again with the text as typed."""
    form_class = _row_form_class(kinds)
    rows: dict[str, Posted] = {}
    for key in keys:
        form = form_class(data, prefix=key)
        raw = {name: (data.get(f"{key}-{name}") or "").strip() for name in form.fields}
        valid = form.is_valid()
        clean = form.cleaned_data
        result_id, version, shown = (clean.get("state") or "..").split(".")
        row = Posted(
            key=key,
            grade_code=raw["grade"],
            date_text=raw["date"],
            annotations={kind: raw[kind] for kind in kinds},
            result_id=result_id,
            version=int(version) if version else None,
            shown=shown,
            date=clean.get("date"),
        )
        if not valid:
            row.errors += [str(e) for errors in form.errors.values() for e in errors]
        if row.grade_code:
            row.grade = options.by_code.get(row.grade_code)
            if row.grade is None:
                row.errors.append(_("Choose a grade from the list."))
        rows[key] = row
    return rows


def propose_from_points(row: Posted, thresholds: list, options: GradeOptions) -> bool:
    """B-8: a filled row with points and no grade gets the grade the points reach, shown as a
    proposal; the person confirms it by saving again. True when a grade was proposed."""
    if row.grade_code or not row.filled:
        return False
    grade = points.propose(row.annotations.get(AnnotationKind.POINTS, ""), thresholds)
    if grade is None or grade.code not in options.by_code:
        return False
    row.grade_code, row.grade, row.proposed = grade.code, grade, True
    return True


class SheetForm(forms.Form):
    """The fields above the rows."""

    default_date = forms.DateField(
        label=gettext_lazy("Examination date for new rows without one"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        help_text=gettext_lazy("Used for every new result below that has no date of its own."),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )


def posted_view(row: RowView, posted: Posted, kinds: list[str], options: GradeOptions) -> None:
    """Show the row again as the person left it."""
    row.grade, row.date = posted.grade_code, posted.date_text
    row.cells = input_cells(row.key, kinds, posted.annotations)
    row.options = options.html(posted.grade_code)
    row.result_id, row.shown = posted.result_id, posted.shown
    row.version = str(posted.version) if posted.version is not None else ""
    row.errors = list(posted.errors)
    if posted.proposed:
        row.proposed = _("Proposed from the points: check it and save to confirm.")


# --- Building the rows ----------------------------------------------------------------------------


def _iso(day: datetime.date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _open_view(row: RowView, result, kinds: list[str], options: GradeOptions) -> None:
    """The inputs of an open (draft or marked-ready) result, as saved."""
    values = {k: str(v) for k, v in (result.annotations or {}).items() if k in kinds}
    row.grade, row.date = result.grade.code, _iso(result.examination_date)
    row.cells = input_cells(row.key, kinds, values)
    row.options = options.html(row.grade)
    row.version = str(result.version)
    row.shown = fingerprint(row.grade, row.date, values)
    row.state = result.get_state_display()
    row.select = "ready" if result.state == "draft" else "unmark"


def _new_view(row: RowView, kinds: list[str], options: GradeOptions, grade: str, date: str):
    row.grade, row.date = grade, date
    row.cells = input_cells(row.key, kinds, {})
    row.options = options.html(grade)
    row.shown = fingerprint(grade, date, {})


def timeline_url(public_id: uuid.UUID) -> str:
    """The result's timeline page (B-3): reversed once, then filled in per row."""
    return _timeline_pattern().replace(str(_PLACEHOLDER), str(public_id))


_PLACEHOLDER = uuid.UUID(int=0)


@functools.cache
def _timeline_pattern() -> str:
    return reverse("staff_result_timeline", args=[_PLACEHOLDER])


def name_rows(sheet, options: GradeOptions) -> list[RowView]:
    """The name sheet's rows as saved (report_queries.Sheet)."""
    rows = []
    for item in sheet.rows:
        person = item.person
        row = RowView(
            key=f"p{person.public_id.hex}",
            heading=person.full_name,
            identity=person.masked_identifier,
            state=_("Not reported"),
            modules_passed=item.all_modules_passed,
        )
        if item.certified:
            certified = item.certified
            row.certified = f"{certified.grade.code} ({_iso(certified.examination_date)})"
            points = (certified.annotations or {}).get(AnnotationKind.POINTS)
            if points not in (None, ""):
                row.certified += " · " + _("%(points)s points") % {"points": points}
            row.certified_timeline = timeline_url(certified.public_id)
            row.state = certified.get_state_display()
        if item.by_code:
            # B-6: neither grade, date, annotations nor state of a result reported by code.
            row.editable = False
            row.state = _("Reported by code")
            row.note = _("Reported by anonymisation code: shown here once certified.")
        elif item.open_result is not None:
            _open_view(row, item.open_result, sheet.kinds, options)
            row.result_id = item.open_result.public_id.hex
            row.open_timeline = timeline_url(item.open_result.public_id)
            row.select_value = f"{row.result_id}.{row.version}"
            if item.open_result.state == "draft":
                row.discard = str(item.open_result.public_id)
        elif item.certified is None and item.proposed_date is not None:
            grade = item.proposed_grade.code if item.proposed_grade else ""
            _new_view(row, sheet.kinds, options, grade, _iso(item.proposed_date))
            if grade:
                row.proposed = _("Proposed from the module grade: save to confirm.")
        else:
            _new_view(row, sheet.kinds, options, "", "")
        rows.append(row)
    return rows


def code_rows(sheet, options: GradeOptions, default_date: datetime.date | None) -> list[RowView]:
    """The code sheet's rows as saved (report_queries.CodeSheet). No names (B-6)."""
    rows = []
    for item in sheet.rows:
        row = RowView(key=f"c{item.code}", heading=item.code, state=_("Not reported"))
        result = item.result
        if result is not None and item.certified:
            row.editable = False
            row.state = result.get_state_display()
            row.note = f"{result.grade.code} ({_iso(result.examination_date)})"
        elif result is not None:
            _open_view(row, result, sheet.kinds, options)
            row.select_value = f"{item.code}.{row.version}"
        else:
            _new_view(row, sheet.kinds, options, "", _iso(default_date))
        rows.append(row)
    return rows


# --- One posted sheet -----------------------------------------------------------------------------


@dataclass
class Reading:
    """A posted sheet: the rows to save (with their page rows) and what stops a save."""

    header: SheetForm
    filled: list[tuple[object, RowView, Posted]]
    by_key: dict[str, RowView]
    proposals: int = 0

    @property
    def parse_errors(self) -> bool:
        return any(row_in.errors for _item, _row, row_in in self.filled)


def read_sheet(
    data: QueryDict,
    pairs: list[tuple[object, RowView]],
    kinds: list[str],
    options: GradeOptions,
    thresholds_for,
) -> Reading:
    """Every editable row as posted, shown again as typed; the filled ones kept with their
    source item. Dates missing on new rows come from the sheet's default date; rows with
    points and no grade get a proposed grade (B-8) from `thresholds_for(item, posted)`."""
    header = SheetForm(data)
    default_date = header.cleaned_data.get("default_date") if header.is_valid() else None
    posted = read_rows(data, [row.key for _item, row in pairs], kinds, options)
    reading = Reading(header=header, filled=[], by_key={row.key: row for _i, row in pairs})
    for item, row in pairs:
        row_in = posted[row.key]
        if not row_in.filled:
            posted_view(row, row_in, kinds, options)
            row.errors = []  # left alone: not saved, so nothing to correct
            continue
        if row_in.date is None and not row_in.date_text and default_date and not row_in.is_open:
            row_in.date, row_in.date_text = default_date, default_date.strftime(DATE_FORMAT)
        if propose_from_points(row_in, thresholds_for(item, row_in), options):
            reading.proposals += 1
        posted_view(row, row_in, kinds, options)
        reading.filled.append((item, row, row_in))
    return reading


# --- Pages of a long sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pager:
    """Which rows of the sheet this page shows. A plain HTML form posts every input it holds, and
    Django refuses a request with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields (before any
    view runs: the CSRF check reads the form). So a sheet longer than that allows is split into
    pages, each posting fewer fields; with the limit raised or off, one page holds everyone."""

    number: int
    count: int
    per_page: int | None
    total: int

    # Fields a row posts besides its annotations: grade, date and the carried state.
    ROW_FIELDS = 3
    # The sheet's own fields (token, default date) and room to spare.
    SPARE = 20

    @classmethod
    def of(cls, page: str | None, total: int, kinds: list[str]) -> "Pager":
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        per_page = None
        if limit is not None:
            per_page = max(10, (limit - cls.SPARE) // (cls.ROW_FIELDS + len(kinds)))
        count = max(1, -(-total // per_page)) if per_page else 1
        number = int(page) if page and page.isdigit() else 1
        return cls(number=min(max(number, 1), count), count=count, per_page=per_page, total=total)

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page if self.per_page else 0

    @property
    def end(self) -> int:
        return min(self.start + self.per_page, self.total) if self.per_page else self.total

    def take(self, rows: list) -> list:
        return rows[self.start : self.end]

    def page_of(self, index: int) -> int:
        return index // self.per_page + 1 if self.per_page else 1

    @property
    def query(self) -> str:
        """The page in a URL's query string: empty on the first page."""
        return f"page={self.number}" if self.number > 1 else ""

    @property
    def others(self) -> list[int]:
        return list(range(1, self.count + 1))
