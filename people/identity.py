"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

S-CONT-4: validated on date and check digit with the `personnummer` library; stored in one
canonical form, twelve digits YYYYMMDDNNNN; shown as YYYYMMDD-NNNN. A coordination number is a
personal identity number with 60 added to the day.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

from ladokportal import clock

_ALLOWED = re.compile(r"^\d{6}(\d{2})?[-+]?\d{4}$")


def normalise(raw: str) -> str:
    """The canonical twelve digits of a valid number, or ValidationError with a reason fit to
    show a person."""
    text = re.sub(r"\s", "", raw or "")
    if not _ALLOWED.match(text):
        raise ValidationError(
            _("Enter the personal identity number as YYYYMMDD-XXXX (12 digits)."),
            code="format",
        )
    try:
        number = personnummer.parse(text)
    except personnummer.PersonnummerException:
        raise ValidationError(_invalid_reason(text), code="invalid") from None
    canonical = number.format(long_format=True)
    if number.get_date() > clock.today():
        raise ValidationError(_("The date in the identity number lies in the future."), "date")
    return canonical


def _invalid_reason(text: str) -> str:
    """Tell a wrong date apart from a wrong check digit: people make both mistakes."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10:
        # Two-digit year: any century will do for asking whether the date exists.
        digits = "19" + digits
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if day > 60:
        day -= 60
    try:
        datetime.date(year, month, day)
    except ValueError:
        return str(_("The identity number contains a date that does not exist."))
    return str(_("The identity number's check digit is wrong. Check that you typed it correctly."))


def is_valid(raw: str) -> bool:
    try:
        normalise(raw)
    except ValidationError:
        return False
    return True


def is_coordination_number(canonical: str) -> bool:
    return int(canonical[6:8]) > 60


def birth_date(canonical: str) -> datetime.date:
    day = int(canonical[6:8])
    if day > 60:
        day -= 60
    return datetime.date(int(canonical[0:4]), int(canonical[4:6]), day)


def display(canonical: str) -> str:
    """YYYYMMDD-XXXX, the form the UI shows."""
    return f"{canonical[:8]}-{canonical[8:]}"


# Any 10- or 12-digit identity number, with or without a separator: what logs must never carry.
LOG_PATTERN = re.compile(r"(?<!\d)(\d{2})?(\d{6})[-+]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    """Hide the last four digits of anything in `text` that looks like an identity number."""
    return LOG_PATTERN.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}-****", text)
