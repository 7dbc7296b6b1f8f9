"""Explained eligibility (B-1): each verdict says yes, or no with the reason a person reads and,
where it will open, the date. Built on unsaved rows: the rules read no database."""

import datetime

import pytest

from catalog.models import CourseInstance, CourseInstancePeriod
from institutions.models import Institution, InstitutionSettings
from registration import eligibility
from registration.models import (
    Application,
    ApplicationOffer,
    CourseParticipation,
    ProgrammeParticipation,
)
from tests.registration.conftest import S, days

TODAY = datetime.date(2027, 1, 14)


def window_period(opens: int | None, closes: int | None, sequence: int = 1):
    return CourseInstancePeriod(
        pk=sequence,
        sequence=sequence,
        registration_opens=None if opens is None else TODAY + days(opens),
        registration_closes=None if closes is None else TODAY + days(closes),
    )


def switches(contact_email: str = "studera@lu.se", **flags) -> InstitutionSettings:
    return InstitutionSettings(institution=Institution(contact_email=contact_email), **flags)


def course(state: str = S.ADMITTED, start: int = 0, **fields) -> CourseParticipation:
    instance = CourseInstance(start_date=TODAY + days(start), end_date=TODAY + days(start + 60))
    return CourseParticipation(state=state, course_instance=instance, **fields)


# --- can_register -------------------------------------------------------------------------------


def test_registration_opens_later_says_the_date_and_gives_it():
    verdict = eligibility.can_register(course(), window_period(3, 10), set(), TODAY)

    assert verdict == eligibility.Verdict(
        False, "Registration opens 2027-01-17.", opens_on=datetime.date(2027, 1, 17)
    )
    assert not verdict


def test_registration_ended_says_when_and_gives_no_date():
    verdict = eligibility.can_register(course(), window_period(-10, -1), set(), TODAY)

    assert verdict == eligibility.Verdict(
        False, "The registration period ended 2027-01-13. Contact your university to register."
    )


@pytest.mark.parametrize(("opens", "closes"), [(0, 5), (-5, 0), (0, 0), (-5, 5)])
def test_registration_is_open_from_the_first_to_the_last_day(opens, closes):
    verdict = eligibility.can_register(course(), window_period(opens, closes), set(), TODAY)

    assert verdict == eligibility.YES
    assert verdict


@pytest.mark.parametrize("state", [S.ADMITTED, S.EXPECTED])
def test_registration_is_open_to_a_place_not_yet_taken_up(state):
    assert eligibility.can_register(course(state), window_period(-1, 1), set(), TODAY)


def test_registration_outside_the_window_is_open_to_staff():
    verdict = eligibility.can_register(course(), window_period(-10, -1), set(), TODAY, staff=True)

    assert verdict == eligibility.YES


def test_staff_too_register_in_order_of_the_periods():
    verdict = eligibility.can_register(
        course(), window_period(-10, -1, sequence=2), set(), TODAY, staff=True
    )

    assert (
        verdict.reason == "Register the student for the earlier study periods of the course first."
    )


def test_continuation_registration_needs_every_earlier_period():
    period3 = window_period(-1, 1, sequence=3)

    assert not eligibility.can_register(course(S.REGISTERED), period3, {1}, TODAY)
    assert eligibility.can_register(course(S.REGISTERED), period3, {1, 2}, TODAY)


def test_a_change_of_instance_on_one_period_registers_on_that_period_only():
    scoped = course(scope_period_id=2)

    assert eligibility.can_register(scoped, window_period(-1, 1, sequence=2), set(), TODAY)
    assert eligibility.can_register(
        scoped, window_period(-1, 1, sequence=1), set(), TODAY
    ) == eligibility.Verdict(False, "Your change of instance covers another study period.")


def test_registration_days_until_opening():
    assert eligibility.registration_period_state(window_period(3, 9), TODAY) == ("upcoming", 3)
    assert eligibility.registration_period_state(window_period(0, 9), TODAY) == ("open", None)
    assert eligibility.registration_period_state(window_period(-9, -1), TODAY) == (
        "closed",
        None,
    )
    assert eligibility.registration_period_state(window_period(None, None), TODAY) == (
        "none",
        None,
    )


# --- withdrawal, dropout, change of instance (G-4 switches) ------------------------------------


@pytest.mark.parametrize("kind", [CourseParticipation, ProgrammeParticipation])
def test_withdrawal_switched_off_names_whom_to_contact(kind):
    verdict = eligibility.can_withdraw(kind(state=S.ADMITTED), switches(allow_withdrawal=False))

    assert verdict == eligibility.Verdict(
        False,
        "Your university handles withdrawals. "
        "Contact your university's study administration: studera@lu.se.",
    )


def test_withdrawal_switched_off_without_an_address_still_says_whom_to_contact():
    verdict = eligibility.can_withdraw(course(), switches(contact_email="", allow_withdrawal=False))

    assert verdict.reason == (
        "Your university handles withdrawals. Contact your university's study administration."
    )


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (S.ADMITTED, True),
        (S.EXPECTED, True),
        (S.REGISTERED, False),
        (S.COMPLETED, False),
        (S.WITHDRAWN, False),
        (S.DROPPED, False),
        (S.CHANGED_INSTANCE, False),
        (S.CANCELLED, False),
    ],
)
def test_withdrawal_only_from_a_place_not_yet_taken_up(state, allowed):
    assert bool(eligibility.can_withdraw(course(state), switches())) is allowed


@pytest.mark.parametrize(
    ("state", "allowed"),
    [(S.REGISTERED, True), (S.ADMITTED, False), (S.EXPECTED, False), (S.DROPPED, False)],
)
def test_dropout_only_from_registered_studies(state, allowed):
    assert bool(eligibility.can_drop_out(course(state), switches())) is allowed


def test_dropout_switched_off_names_whom_to_contact():
    verdict = eligibility.can_drop_out(course(S.REGISTERED), switches(allow_dropout=False))

    assert verdict.reason == (
        "Your university handles dropouts. "
        "Contact your university's study administration: studera@lu.se."
    )


def test_change_of_instance_is_off_unless_the_university_allows_it():
    verdict = eligibility.can_change_instance(
        course(S.REGISTERED), InstitutionSettings(institution=Institution(contact_email=""))
    )

    assert verdict.reason == (
        "Your university handles changes of course instance. "
        "Contact your university's study administration."
    )


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (S.ADMITTED, True),
        (S.EXPECTED, True),
        (S.REGISTERED, True),
        (S.CHANGED_INSTANCE, False),
        (S.WITHDRAWN, False),
        (S.DROPPED, False),
        (S.COMPLETED, False),
    ],
)
def test_change_of_instance_only_from_a_course_being_taken(state, allowed):
    verdict = eligibility.can_change_instance(course(state), switches(allow_change_instance=True))

    assert bool(verdict) is allowed


# --- early dropout (S-WD-2) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_days_ago", "early"),
    [(-7, True), (0, True), (20, True), (21, False), (60, False)],
    ids=["not-started", "first-day", "last-day-of-week-3", "week-4", "long-after"],
)
def test_early_dropout_is_within_three_weeks_of_the_start(started_days_ago, early):
    participation = course(S.REGISTERED, start=-started_days_ago)

    assert eligibility.is_early_dropout(participation, switches(), TODAY) is early


def test_early_dropout_follows_the_universitys_number_of_weeks():
    participation = course(S.REGISTERED, start=-30)

    assert eligibility.is_early_dropout(participation, switches(early_dropout_weeks=5), TODAY)
    assert not eligibility.is_early_dropout(participation, switches(early_dropout_weeks=4), TODAY)


# --- application and choice windows (S-APP-1, S-CHOICE-1) --------------------------------------


def test_application_window_before_during_after():
    opens, closes = TODAY + days(2), TODAY + days(9)

    assert eligibility.application_window(opens, closes, TODAY) == eligibility.Verdict(
        False, "Applications open 2027-01-16.", opens_on=opens
    )
    assert eligibility.application_window(opens, closes, opens) == eligibility.YES
    assert eligibility.application_window(opens, closes, closes) == eligibility.YES
    assert eligibility.application_window(opens, closes, closes + days(1)) == eligibility.Verdict(
        False, "The application period ended 2027-01-23."
    )


def test_choice_window_before_during_after():
    opens, closes = TODAY + days(2), TODAY + days(9)

    assert eligibility.choice_window(opens, closes, TODAY) == eligibility.Verdict(
        False, "The choice period opens 2027-01-16.", opens_on=opens
    )
    assert eligibility.choice_window(opens, closes, closes) == eligibility.YES
    assert eligibility.choice_window(opens, closes, closes + days(1)) == eligibility.Verdict(
        False, "The choice period ended 2027-01-23."
    )


# --- removing an application (S-APP-2) ----------------------------------------------------------


def application(state: str = S.EXPECTED, *, closes: int = 3, removed: bool = False):
    offer = ApplicationOffer(opens=TODAY - days(3), closes=TODAY + days(closes))
    return Application(
        offer=offer,
        course_participation=course(state),
        removed_at=datetime.datetime(2027, 1, 10, tzinfo=datetime.UTC) if removed else None,
    )


def test_an_application_is_removable_within_its_period():
    assert eligibility.can_remove_application(application(), switches(), TODAY) == eligibility.YES
    assert eligibility.can_remove_application(application(closes=0), switches(), TODAY)


def test_removing_an_application_switched_off_says_so():
    verdict = eligibility.can_remove_application(
        application(), switches(allow_remove_application=False), TODAY
    )

    assert verdict.reason == "Your university does not let students remove applications."


def test_removing_an_application_after_its_period_says_when_it_ended():
    verdict = eligibility.can_remove_application(application(closes=-1), switches(), TODAY)

    assert verdict.reason == (
        "The application period ended 2027-01-13, so the application can no longer be removed."
    )


def test_removing_an_application_twice_says_it_is_gone():
    verdict = eligibility.can_remove_application(
        application(S.CANCELLED, removed=True), switches(), TODAY
    )

    assert verdict.reason == "The application has already been removed."


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (S.REGISTERED, "You have registered on what you applied for, so it stands."),
        (S.DROPPED, "You have registered on what you applied for, so it stands."),
        (S.COMPLETED, "You have registered on what you applied for, so it stands."),
        (S.WITHDRAWN, "You no longer hold the place you applied for."),
        (S.CHANGED_INSTANCE, "You no longer hold the place you applied for."),
    ],
)
def test_an_application_whose_place_moved_on_is_not_removable(state, reason):
    verdict = eligibility.can_remove_application(application(state), switches(), TODAY)

    assert verdict == eligibility.Verdict(False, reason)
