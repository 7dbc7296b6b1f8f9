"""Reporting by file (T-REP-5): a spreadsheet (xlsx or CSV) of grades and dates is read, every
row is checked and shown before anything is saved, and one wrong row rejects the whole file.

- `read_table` turns the upload into a heading row and data rows with their row numbers as the
  spreadsheet shows them; a file that cannot be read raises UnreadableFile.
- `build_preview` maps the columns (English or Swedish headings), finds each row's student by
  personal identity number or, for an anonymous activity session, by anonymisation code among
  the session's active sign-ups, and checks every row with results.validation.check_entries plus
  the reading errors. Fixed number of queries whatever the number of rows.
- `pending` and `entries_from_pending` carry a good file's rows (with the versions of the drafts
  they change) to the save, so that the browser sends back nothing but a token.

B-6: a file keyed by anonymisation codes is shown by code only. Its rows hold the person for the
save, but the preview never puts a name or an identity number beside a code.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Grade, Module
from exams.models import ActivitySession, Signup
from people.models import Person
from registration.models import CourseParticipation, ProgrammeParticipation
from results import anonymity
from results.errors import ResultError
from results.models import OPEN_STATES, AnnotationKind, Result, ResultState
from results.validation import Entry, annotation_kinds, check_entries, scale_of

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 20
# An xlsx is a zip: refuse one that unpacks to far more than a sheet of 2,000 rows needs.
MAX_UNPACKED = 40 * 1024 * 1024
# Empty rows count too while reading (a stray cell far down makes a sheet that long).
MAX_LINES = MAX_ROWS * 5

IDENTITY, CODE, NAME, GRADE, DATE = "identity", "code", "name", "grade", "date"

# Accepted headings, compared in lower case with spaces and hyphens read as "_".
HEADINGS = {
    "personnummer": IDENTITY,
    "identity_number": IDENTITY,
    "anonymiseringskod": CODE,
    "anonymisation_code": CODE,
    "code": CODE,
    "kod": CODE,
    "namn": NAME,
    "name": NAME,
    "betyg": GRADE,
    "grade": GRADE,
    "examinationsdatum": DATE,
    "examination_date": DATE,
    "date": DATE,
    "datum": DATE,
    "poang": AnnotationKind.POINTS,
    "poäng": AnnotationKind.POINTS,
    "points": AnnotationKind.POINTS,
    "titel": AnnotationKind.TITLE,
    "title": AnnotationKind.TITLE,
    "notering": AnnotationKind.TEXT,
    "note": AnnotationKind.TEXT,
}

# The headings a downloaded template carries, in the person's language; all are in HEADINGS, so
# a template always reads back. Not translated through the catalogue for that reason.
TEMPLATE_HEADINGS = {
    "sv": {
        IDENTITY: "personnummer",
        CODE: "anonymiseringskod",
        NAME: "namn",
        GRADE: "betyg",
        DATE: "examinationsdatum",
        AnnotationKind.POINTS: "poäng",
        AnnotationKind.TITLE: "titel",
        AnnotationKind.TEXT: "notering",
    },
    "en": {
        IDENTITY: "identity_number",
        CODE: "code",
        NAME: "name",
        GRADE: "grade",
        DATE: "date",
        AnnotationKind.POINTS: "points",
        AnnotationKind.TITLE: "title",
        AnnotationKind.TEXT: "note",
    },
}


class UnreadableFile(ResultError):
    """The file as a whole cannot be used (type, size, encoding, headings); nothing was read."""


# ------------------------------------------------------------------------------------------------
# Reading the file


@dataclass
class Table:
    headings: list[str]
    rows: list[tuple[int, list[object]]]  # (row number in the file, cells)


def read_table(name: str, content: bytes) -> Table:
    """The heading row and the non-empty data rows of an xlsx or CSV file."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)d MB. Split it and upload the parts one by one.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx" and content.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(content)
    elif suffix in ("csv", "txt") and not content.startswith(b"PK\x03\x04"):
        lines = _csv_lines(content)
    else:
        raise UnreadableFile(
            _(
                "“%(name)s” is not an xlsx or CSV file. Save the spreadsheet as Excel workbook "
                "(.xlsx) or as CSV UTF-8 (.csv) and upload it again."
            )
            % {"name": name}
        )
    return _table(lines)


def _table(lines) -> Table:
    headings: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in lines:
        if number > MAX_LINES:
            raise _too_many()
        values = list(cells)
        if all(_text(v) == "" for v in values):
            continue
        if headings is None:
            headings = [_text(v) for v in values]
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise _too_many()
    if headings is None or not rows:
        raise UnreadableFile(_("The file has no rows of results under its headings."))
    return Table(headings, rows)


def _too_many() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(count)d rows. Split it and upload the parts one by one.")
        % {"count": MAX_ROWS}
    )


def _xlsx_lines(content: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED:
                raise UnreadableFile(_("The workbook is too large to read."))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # min_row=1 makes openpyxl fill in empty rows, so numbers match the spreadsheet's.
            lines = workbook.worksheets[0].iter_rows(
                min_row=1, max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True
            )
            yield from enumerate(lines, start=1)
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception:  # a damaged workbook fails inside openpyxl in many ways; each means this
        raise UnreadableFile(
            _("The workbook cannot be read. Open it in a spreadsheet and save it as .xlsx again.")
        ) from None


def _csv_lines(content: bytes):
    try:
        text = content.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a CSV text file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Headings never hold a separator, so the heading line tells which one the file uses.
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    except csv.Error:
        raise UnreadableFile(_("The CSV file cannot be read: check its quotation marks.")) from None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()  # naive: a spreadsheet cell has no time zone
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # A whole number stays whole (an identity number); otherwise 23.5, not 23.4999999999.
        return str(int(value)) if value.is_integer() else format(value, ".10g")
    return str(value).strip()


# ------------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Columns:
    key: str  # IDENTITY or CODE
    at: dict[str, int]  # field → column index
    annotations: tuple[str, ...]  # the annotation kinds the file has, in the module's order


def _heading_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def map_columns(table: Table, kinds: list[str]) -> Columns:
    """Which column holds what; every problem with the headings at once."""
    problems: list[str] = []
    at: dict[str, int] = {}
    for index, heading in enumerate(table.headings):
        if heading == "":
            if any(index < len(cells) and _text(cells[index]) for _n, cells in table.rows):
                problems.append(
                    _("Column %(number)d has values but no heading.") % {"number": index + 1}
                )
            continue
        meaning = HEADINGS.get(_heading_key(heading))
        if meaning is None:
            problems.append(
                _("The column “%(name)s” is not one this page reads.") % {"name": heading}
            )
        elif meaning in at:
            problems.append(_("The column “%(name)s” appears twice.") % {"name": heading})
        elif meaning in AnnotationKind.values and meaning not in kinds:
            problems.append(
                _("This module has no annotation column for “%(name)s”; remove it from the file.")
                % {"name": heading}
            )
        else:
            at[meaning] = index
    if IDENTITY in at and CODE in at:
        problems.append(
            _("Key the rows either by personal identity number or by anonymisation code, not both.")
        )
    elif IDENTITY not in at and CODE not in at:
        problems.append(
            _(
                "The file needs a column “personnummer” (identity_number) or “anonymiseringskod” "
                "(code)."
            )
        )
    for needed, heading in ((GRADE, "betyg (grade)"), (DATE, "examinationsdatum (date)")):
        if needed not in at:
            problems.append(_("The file needs a column “%(name)s”.") % {"name": heading})
    if problems:
        raise UnreadableFile(" ".join(problems))
    key = IDENTITY if IDENTITY in at else CODE
    return Columns(key, at, tuple(k for k in kinds if k in at))


# ------------------------------------------------------------------------------------------------
# The preview


@dataclass
class Row:
    """One data row as read, with what it will do or why it cannot."""

    line: int
    key: str  # the identity number or code as written in the file
    grade_text: str
    date_text: str
    annotations: dict[str, str]
    errors: list[str] = field(default_factory=list)
    person: Person | None = None
    grade: Grade | None = None
    date: datetime.date | None = None
    result: Result | None = None  # the open draft this row changes

    @property
    def updates(self) -> bool:
        return self.result is not None

    @property
    def annotation_cells(self) -> list[tuple[str, str]]:
        """(column label, value) in the module's order."""
        return [(AnnotationKind(kind).label, value) for kind, value in self.annotations.items()]


@dataclass
class Preview:
    course_instance: CourseInstance
    module: Module | None
    session: ActivitySession | None
    by_code: bool
    annotation_kinds: tuple[str, ...]
    rows: list[Row]

    @property
    def rejected_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.rejected_rows

    @property
    def new_count(self) -> int:
        return sum(not row.updates for row in self.rows)

    @property
    def update_count(self) -> int:
        return sum(row.updates for row in self.rows)

    @property
    def annotation_labels(self) -> list[str]:
        return [AnnotationKind(kind).label for kind in self.annotation_kinds]


def build_preview(
    course_instance: CourseInstance,
    module: Module | None,
    *,
    name: str,
    content: bytes,
    session: ActivitySession | None = None,
) -> Preview:
    """Every row of the file, checked. Raises UnreadableFile when the file as a whole is wrong.
    Queries: annotation kinds, students or sign-ups, grades, open results, check_entries."""
    table = read_table(name, content)
    columns = map_columns(table, annotation_kinds(course_instance, module))
    by_code = columns.key == CODE
    if by_code and (session is None or not session.anonymous):
        raise UnreadableFile(
            _("A file of anonymisation codes needs the anonymous session the codes belong to.")
            if session is None
            else _("The session %(label)s is not anonymous; key the file by identity number.")
            % {"label": session.label}
        )
    # A row with nothing but its student is nothing to report (#12 point 6): the template
    # lists every student, and a teacher fills in those who sat the examination.
    rows = [
        row
        for row in (_row(number, cells, columns) for number, cells in table.rows)
        if row.grade_text or row.date_text or any(row.annotations.values()) or not row.key
    ]
    if not rows:
        raise UnreadableFile(_("The file has no rows of results under its headings."))
    if by_code:
        _find_by_code(rows, session)
    else:
        _find_by_identity(rows, course_instance.institution_id)
    _read_grades(rows, scale_of(course_instance, module))
    _attach_open_results(rows, course_instance, module, session, by_code=by_code)
    _check(rows, course_instance, module, by_code=by_code)
    return Preview(course_instance, module, session, by_code, columns.annotations, rows)


def _row(number: int, cells: list[object], columns: Columns) -> Row:
    def cell(what: str) -> object:
        index = columns.at[what]
        return cells[index] if index < len(cells) else None

    row = Row(
        line=number,
        key=_text(cell(columns.key)),
        grade_text=_text(cell(GRADE)),
        date_text=_text(cell(DATE)),
        annotations={kind: _text(cell(kind)) for kind in columns.annotations},
    )
    row.date = _read_date(row, cell(DATE))
    return row


def _read_date(row: Row, value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()  # naive: a spreadsheet cell has no time zone
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100000:
        # An Excel date cell without a date format arrives as its serial number.
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()  # naive: a spreadsheet serial number
    text = row.date_text
    if text == "":
        return None  # check_entries asks for it
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?", text)
    try:
        return datetime.date.fromisoformat(match.group(1)) if match else _bad_date(row)
    except ValueError:
        return _bad_date(row)


def _bad_date(row: Row) -> None:
    row.errors.append(
        _("“%(value)s” is not a date: write the examination date as YYYY-MM-DD.")
        % {"value": row.date_text}
    )


def _find_by_identity(rows: list[Row], institution_id: int) -> None:
    """Students with records at this university only, as in the staff student search: the file
    never tells whether a number belongs to someone at another university. A student without a
    Swedish number is keyed as the template lists them, birth date and local number
    (19990308-T001, S-CONT-4)."""
    from registration.staff_queries import parse_student_key

    keys: dict[int, object] = {}
    for index, row in enumerate(rows):
        if row.key == "":
            row.errors.append(_("Enter the personal identity number."))
            continue
        raw = row.key.zfill(10) if row.key.isdigit() else row.key  # Excel drops a leading 0
        try:
            keys[index] = parse_student_key(raw)
        except ValidationError as error:
            row.errors.append(" ".join(error.messages))
    records = Q(
        Exists(
            CourseParticipation.objects.filter(person=OuterRef("pk"), institution=institution_id)
        )
    ) | Q(
        Exists(
            ProgrammeParticipation.objects.filter(person=OuterRef("pk"), institution=institution_id)
        )
    )
    wanted = Q(identity_number__in={k.identity_number for k in keys.values() if k.identity_number})
    for key in keys.values():
        if not key.identity_number:
            wanted |= Q(birth_date=key.birth_date, local_number=key.local_number)
    found = {}
    for p in Person.objects.filter(records).filter(wanted):
        found[p.identity_number or (p.birth_date, p.local_number)] = p
    for index, key in keys.items():
        rows[index].person = found.get(key.identity_number or (key.birth_date, key.local_number))
        if rows[index].person is None:
            rows[index].errors.append(_("No student at this university has this identity number."))


def _find_by_code(rows: list[Row], session: ActivitySession) -> None:
    codes = {row.key.upper() for row in rows if row.key}
    signups = (
        Signup.objects.filter(session=session, cancelled_at__isnull=True)
        .annotate(typed=Upper("anonymisation_code"))
        .filter(typed__in=codes)
        .select_related("person")
    )
    found = {signup.typed: signup.person for signup in signups}
    for row in rows:
        if row.key == "":
            row.errors.append(_("Enter the anonymisation code."))
            continue
        row.person = found.get(row.key.upper())
        if row.person is None:
            row.errors.append(
                _("No active sign-up to %(label)s has this code.") % {"label": session.label}
            )


def _read_grades(rows: list[Row], scale_id: int) -> None:
    grades = {g.code.lower(): g for g in Grade.objects.filter(scale_id=scale_id)}
    for row in rows:
        if row.grade_text:
            # A code of no grade on the scale becomes an unsaved grade of no scale, so that
            # check_entries names it: "The grade “x” is not on this module's grading scale."
            row.grade = grades.get(row.grade_text.lower()) or Grade(
                code=row.grade_text, scale_id=None, passing=True
            )


def _attach_open_results(
    rows: list[Row],
    course_instance: CourseInstance,
    module: Module | None,
    session: ActivitySession | None = None,
    *,
    by_code: bool = False,
) -> None:
    """A draft the row changes (with its current version); a result marked ready is changed
    on the report page only, where the reporter sees it is on its way to certification.

    B-6 (results.anonymity): a file keyed by identity number never reaches a result that came by
    anonymisation code before certification, nor a student who sat an anonymous exam of the
    module and waits for it: every such row is refused with the same words, result or not, so
    the preview cannot tell which names have a draft. A file of codes changes only the drafts
    of its own session."""
    from results.queries.report import _anonymous_pending

    person_ids = {row.person.pk for row in rows if row.person}
    open_results = {
        r.person_id: r
        for r in Result.objects.filter(
            course_instance=course_instance,
            module=module,
            state__in=OPEN_STATES,
            person_id__in=person_ids,
        ).select_related("grade", "activity_session", "course_instance__course")
    }
    waiting = (
        _anonymous_pending(course_instance, module, list(person_ids))
        if module is not None and not by_code and person_ids
        else set()
    )
    for row in rows:
        if row.person is None:
            continue
        result = open_results.get(row.person.pk)
        if not by_code and (row.person.pk in waiting or (result and anonymity.sealed(result))):
            row.errors.append(anonymity.sealed_message())
            continue
        if result is None:
            continue
        if by_code and result.activity_session_id != (session.pk if session else None):
            row.errors.append(
                _(
                    "A result for this code's student has already been reported another way "
                    "(by name or on another session); change it there."
                )
            )
        elif result.state == ResultState.READY:
            row.errors.append(
                _("The result is marked as ready; change it on the report page instead.")
            )
        else:
            row.result = result


def _check(
    rows: list[Row], course_instance: CourseInstance, module: Module | None, *, by_code: bool
) -> None:
    found = [row for row in rows if row.person is not None]
    entries = [
        Entry(
            person=row.person,
            grade=row.grade,
            examination_date=row.date,
            annotations=row.annotations,
            result=row.result,
            version=row.result.version if row.result else None,
        )
        for row in found
    ]
    # A date the file has but nobody can read is already explained; check_entries would add
    # that the date is missing.
    missing_date = _("Enter the examination date.")
    for index, messages in check_entries(course_instance, module, entries).items():
        row = found[index]
        unread = row.date is None and row.date_text != ""
        shown = [anonymity.by_code(m) for m in messages] if by_code else messages
        row.errors += [m for m in shown if not (unread and m == missing_date)]


# ------------------------------------------------------------------------------------------------
# From the preview to the save


def pending(preview: Preview) -> dict:
    """A good preview as plain data for the server-side session: ids and versions only."""
    return {
        "instance": preview.course_instance.pk,
        "module": preview.module.pk if preview.module else None,
        "session": preview.session.pk if preview.session else None,
        "by_code": preview.by_code,
        "rows": [
            [
                row.person.pk,
                row.grade.pk,
                row.date.isoformat(),
                {k: v for k, v in row.annotations.items() if v != ""},
                row.result.pk if row.result else None,
                row.result.version if row.result else None,
            ]
            for row in preview.rows
        ],
    }


def entries_from_pending(data: dict) -> list[Entry]:
    """The Entry list the preview showed, the drafts as loaded now but with the versions the
    preview saw: save_drafts refuses the file if any draft changed since. Three queries."""
    rows = data["rows"]
    persons = Person.objects.in_bulk({r[0] for r in rows})
    grades = Grade.objects.in_bulk({r[1] for r in rows})
    results = Result.objects.select_related("person").in_bulk({r[4] for r in rows if r[4]})
    return [
        Entry(
            person=persons[person_id],
            grade=grades[grade_id],
            examination_date=datetime.date.fromisoformat(day),
            annotations=annotations,
            result=results[result_id] if result_id else None,
            version=version,
        )
        for person_id, grade_id, day, annotations, result_id, version in rows
    ]
