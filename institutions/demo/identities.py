"""Valid personal identity numbers for demo persons.

The demo makes its own numbers instead of borrowing real ones: a birth date, a three-digit serial
(odd last digit for men, even for women, as in the real register) and the Luhn check digit over the
ten-digit form YYMMDDNNN. Hand-picked persons and randomly drawn students use serials below 900 and
birth years 1995–2005; bulk students use serials 900–999, so the two never collide.
"""

import datetime
import random

BULK_FIRST_SERIAL = 900
BULK_FIRST_DAY = datetime.date(1960, 1, 1)
BULK_LAST_DAY = datetime.date(2005, 12, 31)
BULK_DAYS = (BULK_LAST_DAY - BULK_FIRST_DAY).days + 1
BULK_CAPACITY = BULK_DAYS * (1000 - BULK_FIRST_SERIAL)


def luhn_digit(nine_digits: str) -> str:
    total = 0
    for position, char in enumerate(nine_digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def identity_number(birth: datetime.date, serial: int) -> str:
    """The canonical twelve digits YYYYMMDDNNNC."""
    short = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn_digit(short)}"


def bulk_identity_number(index: int) -> tuple[datetime.date, str]:
    """A distinct number for every index below BULK_CAPACITY (1.68 million): the index walks
    through the birth dates first, then through the serials."""
    birth = BULK_FIRST_DAY + datetime.timedelta(days=index % BULK_DAYS)
    serial = BULK_FIRST_SERIAL + index // BULK_DAYS
    if serial > 999:
        raise ValueError("Too many bulk students for distinct identity numbers.")
    return birth, identity_number(birth, serial)


class NumberDrawer:
    """Draws unique numbers for randomly made demo students."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None) -> None:
        self.rng = rng
        self.taken = set(taken or ())

    def draw(self, *, female: bool) -> tuple[datetime.date, str]:
        while True:
            birth = datetime.date(1995, 1, 1) + datetime.timedelta(days=self.rng.randrange(4018))
            serial = self.rng.randrange(10, 899)
            serial += (serial % 2) ^ (0 if female else 1)  # gender digit: even for women
            number = identity_number(birth, serial)
            if number not in self.taken:
                self.taken.add(number)
                return birth, number
