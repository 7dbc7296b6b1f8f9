"""Registration by the student (S-REG-1..4): inside the window it happens once, with its history;
every refusal says why and leaves every table as it was."""

import pytest

from ladokportal.errors import NotAllowed
from registration import services
from registration.models import Registration
from registration.services import RegistrationError
from tests.factories import (
    CourseParticipationFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    UserFactory,
)
from tests.registration.conftest import S, days, history, period, rows

pytestmark = pytest.mark.django_db


def registrations(participation) -> list[tuple[int, int | None]]:
    return list(
        Registration.objects.filter(participation=participation)
        .order_by("study_period__start_date", "pk")
        .values_list("study_period_id", "registered_by_id")
    )


def test_register_within_the_window_registers_and_records_who(student, make_instance):
    instance = make_instance(windows=((-5, 5),))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)

    registration = services.register(student, participation=participation, period=period(instance))

    participation.refresh_from_db()
    assert participation.state == S.REGISTERED
    assert registrations(participation) == [(period(instance).study_period_id, student.pk)]
    assert registration.course_instance_id == instance.pk
    assert history(participation) == [(student.pk, S.ADMITTED, S.REGISTERED, "study period 1")]


@pytest.mark.parametrize("window", [(0, 4), (-4, 0), (0, 0)], ids=["opens", "closes", "one-day"])
def test_register_on_the_first_and_last_day_of_the_window(student, make_instance, window):
    instance = make_instance(windows=(window,))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)

    services.register(student, participation=participation, period=period(instance))

    assert registrations(participation) == [(period(instance).study_period_id, student.pk)]


def test_register_on_an_expected_participation(student, make_instance):
    instance = make_instance()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=instance, state=S.EXPECTED
    )

    services.register(student, participation=participation, period=period(instance))

    participation.refresh_from_db()
    assert participation.state == S.REGISTERED
    assert history(participation) == [(student.pk, S.EXPECTED, S.REGISTERED, "study period 1")]


def test_continuation_registration_follows_the_first_and_is_labelled(student, make_instance):
    instance = make_instance(windows=((-5, 5), (-1, 3)))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)

    services.register(student, participation=participation, period=period(instance, 1))
    services.register(student, participation=participation, period=period(instance, 2))

    participation.refresh_from_db()
    assert participation.state == S.REGISTERED
    assert registrations(participation) == [
        (period(instance, 1).study_period_id, student.pk),
        (period(instance, 2).study_period_id, student.pk),
    ]
    assert history(participation) == [
        (student.pk, S.ADMITTED, S.REGISTERED, "study period 1"),
        (student.pk, S.REGISTERED, S.REGISTERED, "continuation, study period 2"),
    ]


def test_continuation_registration_before_the_first_is_refused(student, make_instance):
    instance = make_instance(windows=((-5, 5), (-5, 5)))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance, 2))

    assert str(refusal.value) == "Register for the earlier study periods of the course first."
    participation.refresh_from_db()
    assert participation.state == S.ADMITTED
    assert rows() == before


def test_register_before_the_window_says_when_it_opens(student, make_instance, today):
    instance = make_instance(windows=((3, 10),))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == f"Registration opens {(today + days(3)).isoformat()}."
    assert rows() == before


def test_register_after_the_window_says_it_ended(student, make_instance, today):
    instance = make_instance(windows=((-10, -1),))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == (
        f"The registration period ended {(today - days(1)).isoformat()}. "
        "Contact your university to register."
    )
    assert rows() == before


def test_register_without_a_window_is_refused(student, make_instance):
    instance = make_instance(windows=(None,))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == "This course has no registration period you can use yourself."
    assert rows() == before


def test_register_twice_is_refused_and_keeps_one_registration(student, make_instance):
    instance = make_instance()
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    services.register(student, participation=participation, period=period(instance))
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == "You are already registered for this study period."
    assert rows() == before
    assert before["Registration"] == 1


def test_register_on_another_students_participation_is_not_permitted(
    student, other_student, make_instance
):
    instance = make_instance()
    theirs = CourseParticipationFactory(person=other_student.person, course_instance=instance)
    before = rows()

    with pytest.raises(NotAllowed):
        services.register(student, participation=theirs, period=period(instance))

    theirs.refresh_from_db()
    assert theirs.state == S.ADMITTED
    assert rows() == before


def test_register_without_being_a_student_is_not_permitted(student, make_instance):
    instance = make_instance()
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    nobody = UserFactory(username="no-person")
    before = rows()

    with pytest.raises(NotAllowed):
        services.register(nobody, participation=participation, period=period(instance))

    assert rows() == before


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (S.WITHDRAWN, "You have withdrawn from this course."),
        (S.CANCELLED, "You have withdrawn from this course."),
        (S.DROPPED, "You are no longer taking this course instance."),
        (S.CHANGED_INSTANCE, "You are no longer taking this course instance."),
        (S.COMPLETED, "You are no longer taking this course instance."),
    ],
)
def test_register_without_a_place_is_refused(student, make_instance, state, reason):
    instance = make_instance()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=instance, state=state
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == reason
    participation.refresh_from_db()
    assert participation.state == state
    assert rows() == before


def test_register_after_withdrawing_is_refused(student, make_instance):
    instance = make_instance()
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    services.withdraw(student, participation=participation)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(instance))

    assert str(refusal.value) == "You have withdrawn from this course."
    assert rows() == before


def test_register_on_a_period_of_another_instance_is_refused(student, make_instance):
    instance = make_instance()
    other = make_instance()
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=participation, period=period(other))

    assert str(refusal.value) == "That study period does not belong to this course instance."
    assert rows() == before


def test_register_on_a_programme_course_takes_up_the_programme_place(
    student, make_instance, institution
):
    programme = ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )
    instance = make_instance()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=instance, programme_participation=programme
    )

    services.register(student, participation=participation, period=period(instance))

    programme.refresh_from_db()
    assert programme.state == S.REGISTERED
    assert history(programme) == [
        (student.pk, S.ADMITTED, S.REGISTERED, "registered on a course"),
    ]


def test_register_on_a_second_programme_course_leaves_the_programme_history_alone(
    student, make_instance, institution
):
    programme = ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )
    instance = make_instance()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=instance, programme_participation=programme
    )

    services.register(student, participation=participation, period=period(instance))

    programme.refresh_from_db()
    assert programme.state == S.REGISTERED
    assert history(programme) == []
