"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

S-CONT-4: one validation for every way a number enters the portal (forms, the staff web, result
files and the integration API, identity providers' claims, the Django admin): `normalise`.

The rules (Skatteverket, SKV 704 and the coordination number regulation):
- ten digits YYMMDD-NNNC or twelve digits YYYYMMDDNNNC, ASCII digits only, optionally with a
  separator before the last four: `-`, or `+` for someone who has turned a hundred; blanks
  around the number are ignored, blanks inside it are not;
- NNN, the birth number, is 001-999 (000 is never given);
- C is the Luhn check digit over the ten digits YYMMDDNNN;
- a personal identity number's date exists;
- a coordination number has 60 added to the day. Its date is the birth date as stated to
  Skatteverket, recorded as given: the month is 01-12, or 00 when unknown; the day 01-31 (plus
  60), or 00 (written 60) when unknown. The month's length is not checked: Skatteverket's
  published test coordination numbers include 30 February and 31 April (`19300290-2397`), and
  unknown parts (`19150072-2390`, `19180660-2395`);
- a ten-digit number's century is the latest that does not put the year after this year, a
  hundred years earlier with `+`;
- the date, at its earliest where a part is unknown, is not after today.

Stored in one canonical form, twelve digits YYYYMMDDNNNC (a database constraint holds it);
shown as YYYYMMDD-NNNC. Interim numbers (a letter in the serial) identify nobody in the
population register and are refused, as anything not made of digits is.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ladokportal import clock

# [0-9], not \d: \d takes full-width and other scripts' digits as well.
_SHAPE = re.compile(r"([0-9]{2})?([0-9]{6})([-+]?)([0-9]{4})", re.ASCII)
COORDINATION_DAYS = 60


@dataclass(frozen=True)
class _Parts:
    year: int
    month: int  # 0: unknown (coordination numbers only)
    day: int  # as written: plus 60 for a coordination number; 60 alone: unknown day
    serial_and_check: str

    @property
    def coordination(self) -> bool:
        return self.day >= COORDINATION_DAYS

    @property
    def birth_day(self) -> int:
        """The day of the month, 0 when unknown."""
        return self.day - COORDINATION_DAYS if self.coordination else self.day

    @property
    def canonical(self) -> str:
        return f"{self.year:04d}{self.month:02d}{self.day:02d}{self.serial_and_check}"


def normalise(raw: str) -> str:
    """The canonical twelve digits of a valid number, or ValidationError with a reason fit to
    show a person."""
    parts = _parse(raw)
    if not _date_exists(parts):
        raise ValidationError(
            _("The identity number contains a date that does not exist."), code="invalid"
        )
    if parts.serial_and_check[:3] == "000" or not _check_digit_holds(parts.canonical):
        raise ValidationError(
            _("The identity number's check digit is wrong. Check that you typed it correctly."),
            code="invalid",
        )
    if earliest_birth_date(parts.canonical) > clock.today():
        raise ValidationError(_("The date in the identity number lies in the future."), "date")
    return parts.canonical


def _parse(raw: str) -> _Parts:
    match = _SHAPE.fullmatch((raw or "").strip())
    if match is None:
        raise ValidationError(
            _("Enter the personal identity number as YYYYMMDD-XXXX (12 digits)."),
            code="format",
        )
    century, date, separator, last = match.groups()
    short_year = int(date[0:2])
    if century is not None:
        year = int(century + date[0:2])
    else:
        year = _year_of(short_year, centenarian=separator == "+")
    return _Parts(year, int(date[2:4]), int(date[4:6]), last)


def _year_of(short_year: int, *, centenarian: bool) -> int:
    """The latest year ending in `short_year` that is not after this year (a hundred years
    before that with `+`)."""
    base = clock.today().year - (100 if centenarian else 0)
    return base - (base - short_year) % 100


def _date_exists(parts: _Parts) -> bool:
    day, month = parts.birth_day, parts.month
    if not parts.coordination:
        # A personal identity number's date is always known and real.
        return _is_date(parts.year, month, day)
    return 0 <= month <= 12 and 0 <= day <= 31


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_digit(nine_digits: str) -> str:
    """The check digit of YYMMDDNNN."""
    total = 0
    for position, char in enumerate(nine_digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def _check_digit_holds(canonical: str) -> bool:
    return luhn_digit(canonical[2:11]) == canonical[11]


def is_valid(raw: str) -> bool:
    try:
        normalise(raw)
    except ValidationError:
        return False
    return True


def is_coordination_number(canonical: str) -> bool:
    return int(canonical[6:8]) >= COORDINATION_DAYS


def earliest_birth_date(canonical: str) -> datetime.date:
    """The birth date, or for a coordination number whose month or day is unknown or not in the
    calendar the first day it can be."""
    day = int(canonical[6:8])
    if day >= COORDINATION_DAYS:
        day -= COORDINATION_DAYS
    year, month = int(canonical[0:4]), int(canonical[4:6]) or 1
    if not _is_date(year, month, day or 1):
        return datetime.date(year, month, 1)
    return datetime.date(year, month, day or 1)


def birth_date(canonical: str) -> datetime.date | None:
    """The birth date the number states; None when part of it is unknown or not in the calendar
    (coordination numbers only)."""
    day = int(canonical[6:8])
    if day >= COORDINATION_DAYS:
        day -= COORDINATION_DAYS
    year, month = int(canonical[0:4]), int(canonical[4:6])
    return datetime.date(year, month, day) if _is_date(year, month, day) else None


def display(canonical: str) -> str:
    """YYYYMMDD-XXXX, the form the UI shows."""
    return f"{canonical[:8]}-{canonical[8:]}"


# Any 10- or 12-digit identity number, with or without a separator: what logs must never carry.
LOG_PATTERN = re.compile(r"(?<!\d)(\d{2})?(\d{6})[-+]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    """Hide the last four digits of anything in `text` that looks like an identity number."""
    return LOG_PATTERN.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}-****", text)
