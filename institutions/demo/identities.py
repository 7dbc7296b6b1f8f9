"""Identity numbers for demo persons: only Skatteverket's published test personal identity
numbers (testpersonnummer), which belong to nobody.

Skatteverket publishes the list as open data ("Testpersonnummer", the Tax Agency's developer
portal). From 1976-01-02 to 2009-12-31 it holds, for nearly every day, the birth number 238 (a
woman) and 239 (a man) with their check digit; `ABSENT` names the 22 exceptions. So the demo
generates its numbers from that rule instead of shipping the list, and
tests/institutions/test_demo_identities.py checks every demo person against the rule (and, with
the published list at hand, the rule against the list).

Three ranges of birth dates keep the demo's people apart without asking the database:
- hand-picked persons (the named demo logins, and anyone a demo module adds by name):
  `test_number(birth, female=...)` with a birth date in 1996-2003, each date and sex once;
- randomly drawn students (`NumberDrawer`): born 2004-2009;
- volume students (`seed_demo --students N`, `bulk_identity_number`): born 1976-1995; past the
  10,000-odd numbers there the rest have no Swedish number (a local number, as international
  students have), since no invented number may stand in for a published one.
"""

import datetime
import random

FEMALE, MALE = 238, 239
DAY = datetime.timedelta(days=1)
HANDPICKED = (datetime.date(1996, 1, 1), datetime.date(2003, 12, 31))
DRAWN = (datetime.date(2004, 1, 1), datetime.date(2009, 12, 31))
BULK = (datetime.date(1976, 1, 2), datetime.date(1995, 12, 31))
# Days and birth numbers the published list leaves out within 1976-01-02..2009-12-31.
ABSENT = frozenset(
    {
        "19800101238",
        "19800101239",
        "19891220238",
        "19900101239",
        "19900102239",
        "19900104238",
        "19900104239",
        "19900105239",
        "19900106238",
        "19900106239",
        "19900108238",
        "19900108239",
        "19900109239",
        "19900113238",
        "20001218238",
        "20010303239",
        "20011104238",
        "20021016238",
        "20021227238",
        "20050509238",
        "20070911239",
        "20071228238",
    }
)


def luhn_digit(nine_digits: str) -> str:
    from people.identity import luhn_digit

    return luhn_digit(nine_digits)


def _number(birth: datetime.date, serial: int) -> str | None:
    """The published test number of the day and birth number, None where there is none."""
    if not (BULK[0] <= birth <= DRAWN[1]) or serial not in (FEMALE, MALE):
        return None
    head = f"{birth:%Y%m%d}{serial:03d}"
    if head in ABSENT:
        return None
    return head + luhn_digit(head[2:])


def is_test_number(number: str) -> bool:
    """Whether `number` (twelve digits) is one the rule above yields."""
    try:
        birth = datetime.date(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    except ValueError:
        return False
    return _number(birth, int(number[8:11])) == number


def test_number(birth: datetime.date, *, female: bool) -> str:
    """The test personal identity number of a hand-picked demo person born on `birth`
    (1996-2003). Each birth date gives one woman's and one man's number: two hand-picked persons
    of the same sex need different birth dates (tests/institutions/test_demo_identities.py
    checks that the demo's are distinct)."""
    if not (HANDPICKED[0] <= birth <= HANDPICKED[1]):
        raise ValueError(f"Hand-picked demo persons are born {HANDPICKED[0]}..{HANDPICKED[1]}.")
    number = _number(birth, FEMALE if female else MALE)
    if number is None:
        raise ValueError(f"Skatteverket publishes no test number for {birth} of that sex.")
    return number


test_number.__test__ = False  # a function named test_*, not a test for pytest to collect


def _walk(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        for serial in (FEMALE, MALE):
            number = _number(day, serial)
            if number is not None:
                yield day, number
        day += DAY


BULK_NUMBERS = tuple(_walk(*BULK))
BULK_CAPACITY = 1_000_000


def bulk_identity_number(index: int) -> tuple[datetime.date, str | None]:
    """Birth date and number of the `index`th volume student, the same on every run: the
    published numbers of 1976-1995 first, then no number (a local number instead)."""
    if index < len(BULK_NUMBERS):
        return BULK_NUMBERS[index]
    if index >= BULK_CAPACITY:
        raise ValueError("Too many bulk students.")
    span = (BULK[1] - BULK[0]).days + 1
    return BULK[0] + datetime.timedelta(days=index % span), None


class NumberDrawer:
    """Draws unique numbers for randomly made demo students (born 2004-2009)."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None) -> None:
        self.rng = rng
        self.taken = set(taken or ())

    def draw(self, *, female: bool) -> tuple[datetime.date, str]:
        span = (DRAWN[1] - DRAWN[0]).days + 1
        while True:
            birth = DRAWN[0] + datetime.timedelta(days=self.rng.randrange(span))
            number = _number(birth, FEMALE if female else MALE)
            if number is not None and number not in self.taken:
                self.taken.add(number)
                return birth, number
