"""Withdrawal (återbud) and dropout (avbrott), S-WD-1..3 and their switches (G-4): what each
changes, what a programme takes with it, early dropout by the university's own weeks, and
that switched off, or from the wrong state, nothing changes at all."""

import datetime

import pytest
from django.utils import timezone

from ladokportal.errors import NotAllowed
from registration import services
from registration.models import CourseParticipation
from registration.services import RegistrationError
from tests.factories import (
    CourseParticipationFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
)
from tests.factories.exams import ActivitySessionFactory
from tests.registration.conftest import S, history, period, rows

pytestmark = pytest.mark.django_db

CONTACT = "Contact your university's study administration: studera@lu.se."


@pytest.fixture
def contact(institution):
    institution.contact_email = "studera@lu.se"
    institution.save(update_fields=["contact_email"])


@pytest.fixture
def programme(student, institution):
    return ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )


def in_programme(programme, make_instance, state=S.ADMITTED, **instance_fields):
    return CourseParticipationFactory(
        person=programme.person,
        course_instance=make_instance(**instance_fields),
        programme_participation=programme,
        state=state,
    )


def states(*participations) -> list[str]:
    return [type(p).objects.get(pk=p.pk).state for p in participations]


# --- withdrawal from a course --------------------------------------------------------------------


@pytest.mark.parametrize("state", [S.ADMITTED, S.EXPECTED])
def test_withdraw_gives_up_the_place_and_records_it(student, make_instance, state):
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(), state=state
    )

    services.withdraw(student, participation=participation)

    assert states(participation) == [S.WITHDRAWN]
    assert history(participation) == [(student.pk, state, S.WITHDRAWN, "withdrawn by the student")]


def test_withdraw_when_registered_is_refused(student, make_instance):
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(), state=S.REGISTERED
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.withdraw(student, participation=participation)

    assert str(refusal.value) == "You are registered. To leave the course, drop out instead."
    assert states(participation) == [S.REGISTERED]
    assert rows() == before


def test_withdraw_switched_off_is_refused_with_whom_to_contact(
    student, make_instance, uni_settings, contact
):
    uni_settings.allow_withdrawal = False
    uni_settings.save()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance()
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.withdraw(student, participation=participation)

    assert str(refusal.value) == f"Your university handles withdrawals. {CONTACT}"
    assert states(participation) == [S.ADMITTED]
    assert rows() == before


def test_withdraw_from_another_students_course_is_not_permitted(
    student, other_student, make_instance
):
    theirs = CourseParticipationFactory(
        person=other_student.person, course_instance=make_instance()
    )

    with pytest.raises(NotAllowed):
        services.withdraw(student, participation=theirs)

    assert states(theirs) == [S.ADMITTED]


# --- withdrawal from a programme ----------------------------------------------------------------


def test_withdraw_from_programme_withdraws_its_open_courses(student, programme, make_instance):
    first = in_programme(programme, make_instance)
    second = in_programme(programme, make_instance, state=S.EXPECTED)
    earlier = in_programme(programme, make_instance, state=S.WITHDRAWN)

    courses = services.withdraw_from_programme(student, participation=programme)

    assert [c.pk for c in courses] == [first.pk, second.pk]
    assert states(programme, first, second, earlier) == [S.WITHDRAWN] * 4
    assert history(programme) == [(student.pk, S.ADMITTED, S.WITHDRAWN, "withdrawn by the student")]
    assert history(first) == [(student.pk, S.ADMITTED, S.WITHDRAWN, "withdrawn with the programme")]
    assert history(second) == [
        (student.pk, S.EXPECTED, S.WITHDRAWN, "withdrawn with the programme")
    ]
    assert history(earlier) == []


def test_withdraw_from_programme_with_a_registered_course_is_refused(
    student, programme, make_instance
):
    admitted = in_programme(programme, make_instance)
    registered = in_programme(programme, make_instance, state=S.REGISTERED)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.withdraw_from_programme(student, participation=programme)

    assert str(refusal.value) == (
        "You are registered on a course in this programme. To leave it, drop out instead."
    )
    assert states(programme, admitted, registered) == [S.ADMITTED, S.ADMITTED, S.REGISTERED]
    assert rows() == before


def test_withdraw_from_programme_after_registering_on_its_course_is_refused(
    student, programme, make_instance
):
    course = in_programme(programme, make_instance)
    services.register(student, participation=course, period=period(course.course_instance))
    before = rows()

    with pytest.raises(RegistrationError):
        services.withdraw_from_programme(student, participation=programme)

    assert states(programme, course) == [S.REGISTERED, S.REGISTERED]
    assert rows() == before


def test_withdraw_from_programme_switched_off_is_refused(
    student, programme, make_instance, uni_settings, contact
):
    uni_settings.allow_withdrawal = False
    uni_settings.save()
    course = in_programme(programme, make_instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.withdraw_from_programme(student, participation=programme)

    assert str(refusal.value) == f"Your university handles withdrawals. {CONTACT}"
    assert states(programme, course) == [S.ADMITTED, S.ADMITTED]
    assert rows() == before


def test_withdraw_from_another_students_programme_is_not_permitted(
    other_student, programme, make_instance
):
    course = in_programme(programme, make_instance)

    with pytest.raises(NotAllowed):
        services.withdraw_from_programme(other_student, participation=programme)

    assert states(programme, course) == [S.ADMITTED, S.ADMITTED]


# --- dropout from a course ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_days_ago", "early"),
    [(-5, True), (10, True), (20, True), (21, False), (45, False)],
)
def test_drop_out_is_early_within_three_weeks_of_the_start(
    student, make_instance, started_days_ago, early
):
    participation = CourseParticipationFactory(
        person=student.person,
        course_instance=make_instance(start=-started_days_ago),
        state=S.REGISTERED,
    )

    result = services.drop_out(student, participation=participation)

    participation.refresh_from_db()
    assert (result, participation.state, participation.early_dropout) == (
        early,
        S.DROPPED,
        early,
    )
    note = "early dropout by the student" if early else "dropout by the student"
    assert history(participation) == [(student.pk, S.REGISTERED, S.DROPPED, note)]


@pytest.mark.parametrize(("exam_in_days", "early"), [(-1, False), (0, False), (3, True)])
def test_drop_out_after_the_first_exam_is_not_early(student, make_instance, exam_in_days, early):
    """S-WD-2: early only before the course instance's first exam, even within the weeks."""
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(start=-5), state=S.REGISTERED
    )
    starts = timezone.now() + datetime.timedelta(days=exam_in_days)
    ActivitySessionFactory(
        institution=participation.institution,
        course_instances=[participation.course_instance],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
    )

    assert services.drop_out(student, participation=participation) is early


@pytest.mark.parametrize(("weeks", "early"), [(5, True), (4, False)])
def test_drop_out_follows_the_universitys_own_weeks(
    student, make_instance, uni_settings, weeks, early
):
    uni_settings.early_dropout_weeks = weeks
    uni_settings.save()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(start=-30), state=S.REGISTERED
    )

    assert services.drop_out(student, participation=participation) is early

    participation.refresh_from_db()
    assert participation.early_dropout is early


@pytest.mark.parametrize("state", [S.ADMITTED, S.EXPECTED, S.WITHDRAWN, S.DROPPED])
def test_drop_out_without_being_registered_is_refused(student, make_instance, state):
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(), state=state
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.drop_out(student, participation=participation)

    assert str(refusal.value) == "You can drop out only from studies you are registered on."
    assert states(participation) == [state]
    assert rows() == before


def test_drop_out_switched_off_is_refused(student, make_instance, uni_settings, contact):
    uni_settings.allow_dropout = False
    uni_settings.save()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=make_instance(), state=S.REGISTERED
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.drop_out(student, participation=participation)

    assert str(refusal.value) == f"Your university handles dropouts. {CONTACT}"
    participation.refresh_from_db()
    assert (participation.state, participation.early_dropout) == (S.REGISTERED, False)
    assert rows() == before


def test_drop_out_of_another_students_course_is_not_permitted(
    student, other_student, make_instance
):
    theirs = CourseParticipationFactory(
        person=other_student.person, course_instance=make_instance(), state=S.REGISTERED
    )

    with pytest.raises(NotAllowed):
        services.drop_out(student, participation=theirs)

    assert states(theirs) == [S.REGISTERED]


# --- dropout from a programme -------------------------------------------------------------------


def test_drop_out_of_programme_drops_registered_courses_and_withdraws_the_rest(
    student, programme, make_instance
):
    programme.state = S.REGISTERED
    programme.save()
    just_started = in_programme(programme, make_instance, S.REGISTERED, start=-5)
    well_under_way = in_programme(programme, make_instance, S.REGISTERED, start=-40)
    not_yet_started = in_programme(programme, make_instance, S.ADMITTED, start=60)
    completed = in_programme(programme, make_instance, S.COMPLETED, start=-200)

    courses = services.drop_out_of_programme(student, participation=programme)

    assert [c.pk for c in courses] == [just_started.pk, well_under_way.pk, not_yet_started.pk]
    assert states(programme, just_started, well_under_way, not_yet_started, completed) == [
        S.DROPPED,
        S.DROPPED,
        S.DROPPED,
        S.WITHDRAWN,
        S.COMPLETED,
    ]
    assert [
        CourseParticipation.objects.get(pk=c.pk).early_dropout
        for c in (just_started, well_under_way)
    ] == [True, False]
    assert history(programme) == [(student.pk, S.REGISTERED, S.DROPPED, "dropout by the student")]
    assert history(just_started) == [
        (student.pk, S.REGISTERED, S.DROPPED, "early dropout with the programme")
    ]
    assert history(well_under_way) == [
        (student.pk, S.REGISTERED, S.DROPPED, "dropout with the programme")
    ]
    assert history(not_yet_started) == [
        (student.pk, S.ADMITTED, S.WITHDRAWN, "dropout with the programme")
    ]
    assert history(completed) == []


def test_drop_out_of_programme_switched_off_is_refused(
    student, programme, make_instance, uni_settings, contact
):
    programme.state = S.REGISTERED
    programme.save()
    course = in_programme(programme, make_instance, S.REGISTERED)
    uni_settings.allow_dropout = False
    uni_settings.save()
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.drop_out_of_programme(student, participation=programme)

    assert str(refusal.value) == f"Your university handles dropouts. {CONTACT}"
    assert states(programme, course) == [S.REGISTERED, S.REGISTERED]
    assert rows() == before


def test_drop_out_of_a_programme_not_started_is_refused(student, programme, make_instance):
    course = in_programme(programme, make_instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.drop_out_of_programme(student, participation=programme)

    assert str(refusal.value) == "You can drop out only from studies you are registered on."
    assert states(programme, course) == [S.ADMITTED, S.ADMITTED]
    assert rows() == before


# --- no undo (S-WD-3) ---------------------------------------------------------------------------


@pytest.mark.parametrize("leave", ["withdraw", "drop_out"])
def test_after_leaving_no_student_action_brings_the_course_back(
    student, make_instance, uni_settings, leave
):
    uni_settings.allow_change_instance = True
    uni_settings.save()
    instance = make_instance()
    make_instance(course=instance.course)  # somewhere a change could go
    participation = CourseParticipationFactory(
        person=student.person,
        course_instance=instance,
        state=S.ADMITTED if leave == "withdraw" else S.REGISTERED,
    )
    getattr(services, leave)(student, participation=participation)
    left = states(participation)
    before = rows()

    attempts = [
        lambda: services.register(student, participation=participation, period=period(instance)),
        lambda: services.withdraw(student, participation=participation),
        lambda: services.drop_out(student, participation=participation),
        lambda: services.change_instance(
            student,
            participation=participation,
            target=services.change_instance_targets(participation)[0],
        ),
    ]
    for attempt in attempts:
        with pytest.raises(RegistrationError):
            attempt()

    assert states(participation) == left
    assert rows() == before
