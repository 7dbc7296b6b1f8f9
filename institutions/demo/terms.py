"""Swedish academic terms around a given day.

Autumn term (HT) starts on the first Monday on or after 28 August and spring term (VT) follows it
directly; each lasts twenty weeks (HT2026: 2026-08-31 – 2027-01-17, VT2027: 2027-01-18 –
2027-06-06). The summer between VT and HT belongs to no term.
"""

import datetime
from dataclasses import dataclass

TERM_WEEKS = 20


@dataclass(frozen=True)
class Term:
    code: str  # "HT2026"
    name_sv: str
    name_en: str
    start: datetime.date
    end: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _autumn_start(year: int) -> datetime.date:
    day = datetime.date(year, 8, 28)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def autumn_term(year: int) -> Term:
    start = _autumn_start(year)
    end = start + datetime.timedelta(weeks=TERM_WEEKS, days=-1)
    return Term(f"HT{year}", f"Hösttermin {year}", f"Autumn term {year}", start, end)


def spring_term(year: int) -> Term:
    start = autumn_term(year - 1).end + datetime.timedelta(days=1)
    end = start + datetime.timedelta(weeks=TERM_WEEKS, days=-1)
    return Term(f"VT{year}", f"Vårtermin {year}", f"Spring term {year}", start, end)


def _terms_from(year: int, years: int = 8) -> list[Term]:
    """Terms in order from the spring term of `year` onwards."""
    terms = []
    for y in range(year, year + years):
        terms += [spring_term(y), autumn_term(y)]
    return terms


def current_term_index(terms: list[Term], today: datetime.date) -> int:
    """The term that contains today; in the summer, the autumn term ahead."""
    return next(i for i, term in enumerate(terms) if today <= term.end)


@dataclass(frozen=True)
class Calendar:
    """The four terms the demo uses: two behind, the current one and the next."""

    before_last: Term
    last: Term
    current: Term
    next: Term

    @property
    def all(self) -> list[Term]:
        return [self.before_last, self.last, self.current, self.next]

    def term_of(self, day: datetime.date) -> Term:
        """The term a course starting on `day` belongs to (in the summer: the autumn ahead). The
        autumn term runs into January, but a course that starts in January is registered under
        the spring term, as universities do."""
        term = next((t for t in self.all if day <= t.end), self.next)
        if day.month == 1 and term.code.startswith("HT"):
            return next((t for t in self.all if t.start > term.end), term)
        return term


def calendar_around(today: datetime.date) -> Calendar:
    terms = _terms_from(today.year - 2)
    i = current_term_index(terms, today)
    return Calendar(terms[i - 2], terms[i - 1], terms[i], terms[i + 1])


def terms_from(first: Term, count: int) -> list[Term]:
    """`first` and the terms after it, `count` in all (for programmes that run for years)."""
    year = int(first.code[2:])
    terms = _terms_from(year)
    i = next(i for i, term in enumerate(terms) if term.code == first.code)
    return terms[i : i + count]
