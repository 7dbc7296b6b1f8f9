"""Reporting deadlines (T-DEAD-1): results are due within 15 working days of the examination,
and at least two weeks before the re-take when one is linked.

Working days are Monday to Friday except Swedish public holidays and the de facto holidays
(Midsummer Eve, Christmas Eve, New Year's Eve), as the `holidays` library knows them.
"""

import datetime
from functools import cache

import holidays

WORKING_DAYS_TO_REPORT = 15
BEFORE_RETAKE = datetime.timedelta(weeks=2)


@cache
def _days_off(year: int) -> frozenset[datetime.date]:
    calendar = holidays.Sweden(years=year, categories=("public", "de_facto"))
    return frozenset(calendar.keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `start` (the start day itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def reporting_deadline(
    exam_date: datetime.date, retake_date: datetime.date | None = None
) -> datetime.date:
    deadline = add_working_days(exam_date, WORKING_DAYS_TO_REPORT)
    if retake_date is not None:
        deadline = min(deadline, retake_date - BEFORE_RETAKE)
    return deadline
