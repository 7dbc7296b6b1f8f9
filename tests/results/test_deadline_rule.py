"""T-DEAD-1: 15 working days after the exam, Swedish holidays counted, and two weeks before a
linked re-take."""

import datetime

import pytest

from results.deadlines import add_working_days, is_working_day, reporting_deadline

D = datetime.date


def test_fifteen_working_days_in_an_ordinary_stretch():
    # Monday 2026-09-07 + 15 working days = three whole weeks later, Monday 2026-09-28.
    assert reporting_deadline(D(2026, 9, 7)) == D(2026, 9, 28)


def test_easter_days_are_not_working_days():
    # Exam Monday 2027-03-15. Good Friday 03-26 and Easter Monday 03-29 are holidays, so the
    # three weeks stretch by two days: Wednesday 2027-04-07.
    assert [is_working_day(D(2027, 3, d)) for d in (26, 29)] == [False, False]
    assert reporting_deadline(D(2027, 3, 15)) == D(2027, 4, 7)


def test_christmas_and_new_year_are_not_working_days():
    # Exam Friday 2026-12-18. Not counted: Christmas Eve, Christmas Day, New Year's Eve,
    # New Year's Day, Epiphany (Wednesday 2027-01-06), and the weekends.
    assert reporting_deadline(D(2026, 12, 18)) == D(2027, 1, 15)


def test_midsummer_eve_is_not_a_working_day():
    assert is_working_day(D(2026, 6, 19)) is False
    assert is_working_day(D(2026, 6, 18)) is True


def test_weekend_start_counts_from_the_next_working_day():
    assert add_working_days(D(2026, 9, 12), 1) == D(2026, 9, 14)


def test_a_retake_brings_the_deadline_forward_to_two_weeks_before_it():
    exam = D(2026, 9, 7)
    assert reporting_deadline(exam, retake_date=D(2026, 10, 5)) == D(2026, 9, 21)
    # A re-take far away changes nothing.
    assert reporting_deadline(exam, retake_date=D(2026, 12, 1)) == D(2026, 9, 28)


@pytest.mark.parametrize("days", [0, 1, 5, 15, 40])
def test_the_deadline_is_always_a_working_day(days):
    assert is_working_day(add_working_days(D(2026, 12, 20), days)) is (days > 0)
