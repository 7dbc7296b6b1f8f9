"""A session's participant list as a file (T-ADM-3): CSV or xlsx, in the staff member's language.

Columns: name, personal identity number, signed up at (Swedish time), added by (the staff
member; empty when the student signed up themselves).

B-6: there is deliberately NO anonymisation-code column, for anonymous sessions too. The rows
come from exams.staff_queries.participants, which never reads the code; the key of an anonymous
exam is only ever shown by exams.services.list_codes, which logs who asked and why.

Spreadsheets run cells that begin with = + - @ (or a tab or carriage return) as formulas, so
such text is written with a leading apostrophe: a name cannot become a formula (CSV injection).
"""

import csv
import datetime
import io

from django.utils.translation import gettext as _

from exams.staff_queries import ParticipantRow
from ladokportal import clock

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _when(at: datetime.datetime) -> str:
    return f"{clock.local(at):%Y-%m-%d %H:%M}"


def _table(rows: list[ParticipantRow]) -> list[list[str]]:
    header = [_("Name"), _("Personal identity number"), _("Signed up at"), _("Added by")]
    body = [
        [row.person.full_name, row.person.display_identifier, _when(row.signed_up_at), row.added_by]
        for row in rows
    ]
    return [header, *([safe_cell(cell) for cell in line] for line in body)]


def participants_csv(rows: list[ParticipantRow]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads å, ä and ö right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_table(rows))
    return buffer.getvalue().encode("utf-8-sig")


def participants_xlsx(rows: list[ParticipantRow], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles are at most 31 characters and may not hold []:*?/\
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Participants"
    for line in _table(rows):
        # safe_cell has prefixed "=…": openpyxl would otherwise store it as a formula.
        sheet.append(line)
    for column, width in zip("ABCD", (30, 18, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
