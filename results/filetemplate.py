"""A template for reporting by file (T-REP-5): the headings this module's file needs (with its
annotation columns, T-REP-2) and one row per student to report on, as xlsx or CSV.

- Without a session, or with one that is not anonymous: the identity numbers and names of the
  students registered on the instance (or signed up to the session). The name is for the
  teacher's eyes; the import ignores it.
- For an anonymous session: the codes of its active sign-ups and nothing else (B-6: no name or
  number travels beside a code).

Headings come from results.fileimport.TEMPLATE_HEADINGS, so a template always reads back. Cells
that a spreadsheet would run as a formula are made text (exams.exports.safe_cell).
"""

import csv
import io

from catalog.models import CourseInstance, Module
from exams.exports import safe_cell
from exams.models import ActivitySession, Signup
from people.models import Person
from results.fileimport import CODE, DATE, GRADE, IDENTITY, NAME, TEMPLATE_HEADINGS
from results.validation import annotation_kinds


def template_table(
    course_instance: CourseInstance,
    module: Module | None,
    session: ActivitySession | None,
    language: str,
) -> list[list[str]]:
    """Heading row and one row per student or code; two queries."""
    names = TEMPLATE_HEADINGS.get(language, TEMPLATE_HEADINGS["en"])
    kinds = annotation_kinds(course_instance, module)
    blanks = [""] * (2 + len(kinds))
    tail = [names[GRADE], names[DATE], *(names[kind] for kind in kinds)]
    if session is not None and session.anonymous:
        codes = (
            Signup.objects.filter(session=session, cancelled_at__isnull=True)
            .exclude(anonymisation_code=None)
            .order_by("anonymisation_code")
            .values_list("anonymisation_code", flat=True)
        )
        return [[names[CODE], *tail], *([safe_cell(code), *blanks] for code in codes)]
    if session is not None:
        people = Person.objects.filter(
            exam_signups__session=session, exam_signups__cancelled_at__isnull=True
        )
    else:
        people = Person.objects.filter(
            course_participations__course_instance=course_instance,
            course_participations__registrations__isnull=False,
        )
    rows = [
        [safe_cell(person.display_identifier), safe_cell(person.full_name), *blanks]
        for person in people.distinct().order_by("last_name", "first_name", "pk")
    ]
    return [[names[IDENTITY], names[NAME], *tail], *rows]


def template_csv(table: list[list[str]], language: str) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads å, ä, ö), separated as a spreadsheet in
    that language expects: semicolons in Swedish, commas in English."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";" if language == "sv" else ",").writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(table: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Results"
    for line in table:
        sheet.append(line)
    for index in range(len(table[0])):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
