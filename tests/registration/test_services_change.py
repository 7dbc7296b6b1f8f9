"""Change of course instance (S-SWAP-1): where it may go, what it leaves behind, partial scope
only where the university allows it, registration on the new instance, and no way back."""

from decimal import Decimal

import pytest

from ladokportal.errors import NotAllowed
from registration import services
from registration.models import CourseParticipation, ParticipationSource
from registration.services import RegistrationError
from tests.factories import (
    CourseParticipationFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
)
from tests.registration.conftest import S, history, period, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(uni_settings):
    uni_settings.allow_change_instance = True
    uni_settings.save()
    return uni_settings


@pytest.fixture
def current(student, make_instance):
    return CourseParticipationFactory(
        person=student.person, course_instance=make_instance(start=-5), state=S.REGISTERED
    )


def state_of(participation) -> str:
    return CourseParticipation.objects.get(pk=participation.pk).state


# --- where a change may go ----------------------------------------------------------------------


def test_targets_are_the_courses_other_running_instances_the_student_holds_no_place_on(
    student, other_student, current, make_instance
):
    course = current.course_instance.course
    later = make_instance(course=course, start=40)
    ends_today = make_instance(course=course, start=-30, length=30)
    make_instance(course=course, start=-60, length=59)  # ended yesterday
    held = make_instance(course=course, start=20)
    CourseParticipationFactory(person=student.person, course_instance=held, state=S.ADMITTED)
    make_instance(start=40)  # another course
    CourseParticipationFactory(person=other_student.person, course_instance=later)

    targets = services.change_instance_targets(current)

    assert [t.pk for t in targets] == [ends_today.pk, later.pk]


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (S.WITHDRAWN, False),
        (S.DROPPED, False),
        (S.CHANGED_INSTANCE, False),
        (S.COMPLETED, False),
        (S.CANCELLED, True),
    ],
)
def test_targets_leave_out_instances_the_student_has_left(
    student, current, make_instance, state, target
):
    """Changing into an instance left by withdrawal or dropout would be re-entry, which goes
    through the institution (S-WD-3); a removed application left no place behind."""
    left = make_instance(course=current.course_instance.course, start=25)
    CourseParticipationFactory(person=student.person, course_instance=left, state=state)

    targets = services.change_instance_targets(current)

    assert [t.pk for t in targets] == ([left.pk] if target else [])


def test_change_moves_the_place_and_records_both_sides(
    student, current, make_instance, allowed, institution
):
    programme = ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )
    current.programme_participation = programme
    current.save()
    target = make_instance(course=current.course_instance.course, start=40)

    new = services.change_instance(student, participation=current, target=target)

    new.refresh_from_db()
    assert state_of(current) == S.CHANGED_INSTANCE
    assert (new.state, new.course_instance_id, new.changed_from_id, new.source) == (
        S.ADMITTED,
        target.pk,
        current.pk,
        ParticipationSource.CHANGE,
    )
    assert new.programme_participation_id == programme.pk
    assert (new.scope_credits, new.scope_period_id) == (None, None)
    assert history(current) == [
        (student.pk, S.REGISTERED, S.CHANGED_INSTANCE, f"changed to {target.instance_code}")
    ]
    assert history(new) == [
        (student.pk, "", S.ADMITTED, f"changed from {current.course_instance.instance_code}")
    ]


def test_change_to_an_instance_that_is_no_target_is_refused(
    student, current, make_instance, allowed
):
    course = current.course_instance.course
    ended = make_instance(course=course, start=-60, length=59)
    held = make_instance(course=course, start=20)
    CourseParticipationFactory(person=student.person, course_instance=held)
    other_course = make_instance(start=40)
    before = rows()

    for target in (ended, held, other_course, current.course_instance):
        with pytest.raises(RegistrationError) as refusal:
            services.change_instance(student, participation=current, target=target)
        assert str(refusal.value) == "You cannot change to that course instance."

    assert state_of(current) == S.REGISTERED
    assert rows() == before


def test_change_switched_off_is_refused(student, current, make_instance, uni_settings):
    target = make_instance(course=current.course_instance.course, start=40)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.change_instance(student, participation=current, target=target)

    assert str(refusal.value) == (
        "Your university handles changes of course instance. "
        "Contact your university's study administration."
    )
    assert state_of(current) == S.REGISTERED
    assert rows() == before


def test_change_of_another_students_course_is_not_permitted(
    other_student, current, make_instance, allowed
):
    target = make_instance(course=current.course_instance.course, start=40)
    before = rows()

    with pytest.raises(NotAllowed):
        services.change_instance(other_student, participation=current, target=target)

    assert rows() == before


# --- partial scope (allow_partial_reregistration) -----------------------------------------------


def test_partial_scope_is_refused_unless_the_university_allows_it(
    student, current, make_instance, allowed
):
    target = make_instance(course=current.course_instance.course, start=40)
    before = rows()

    for scope in ({"scope_credits": Decimal("3.0")}, {"scope_period": period(target)}):
        with pytest.raises(RegistrationError) as refusal:
            services.change_instance(student, participation=current, target=target, **scope)
        assert str(refusal.value) == (
            "Your university does not allow re-registration on part of a course."
        )

    assert state_of(current) == S.REGISTERED
    assert rows() == before


@pytest.fixture
def partial(allowed):
    allowed.allow_partial_reregistration = True
    allowed.save()
    return allowed


def test_partial_scope_is_kept_on_the_new_participation(student, current, make_instance, partial):
    target = make_instance(course=current.course_instance.course, start=40, windows=((-1, 5),) * 2)

    new = services.change_instance(
        student,
        participation=current,
        target=target,
        scope_credits=Decimal("3.0"),
        scope_period=period(target, 2),
    )

    new.refresh_from_db()
    assert (new.scope_credits, new.scope_period_id) == (Decimal("3.0"), period(target, 2).pk)


@pytest.mark.parametrize("credits", ["0", "-1.5", "7.6", "30"])
def test_partial_scope_outside_the_courses_credits_is_refused(
    student, current, make_instance, partial, credits
):
    target = make_instance(course=current.course_instance.course, start=40)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.change_instance(
            student, participation=current, target=target, scope_credits=Decimal(credits)
        )

    assert str(refusal.value) == "Choose a part of the course between 0 and 7.5 credits."
    assert state_of(current) == S.REGISTERED
    assert rows() == before


def test_partial_scope_on_the_whole_course_is_accepted(student, current, make_instance, partial):
    target = make_instance(course=current.course_instance.course, start=40)

    new = services.change_instance(
        student, participation=current, target=target, scope_credits=Decimal("7.5")
    )

    assert new.scope_credits == Decimal("7.5")


def test_partial_scope_on_a_period_of_another_instance_is_refused(
    student, current, make_instance, partial
):
    target = make_instance(course=current.course_instance.course, start=40)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.change_instance(
            student,
            participation=current,
            target=target,
            scope_period=period(current.course_instance),
        )

    assert str(refusal.value) == "That study period does not belong to the new course instance."
    assert rows() == before


# --- after the change ---------------------------------------------------------------------------


def test_the_student_then_registers_on_the_new_instance(student, current, make_instance, allowed):
    target = make_instance(course=current.course_instance.course, start=40)
    new = services.change_instance(student, participation=current, target=target)

    services.register(student, participation=new, period=period(target))

    assert state_of(new) == S.REGISTERED
    assert list(new.registrations.values_list("study_period_id", flat=True)) == [
        period(target).study_period_id
    ]


def test_a_change_on_one_period_registers_on_that_period_only(
    student, current, make_instance, partial
):
    target = make_instance(
        course=current.course_instance.course, start=40, windows=((-1, 5), (-1, 5))
    )
    new = services.change_instance(
        student, participation=current, target=target, scope_period=period(target, 2)
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.register(student, participation=new, period=period(target, 1))
    assert str(refusal.value) == "Your change of instance covers another study period."
    assert rows() == before

    services.register(student, participation=new, period=period(target, 2))
    assert list(new.registrations.values_list("study_period_id", flat=True)) == [
        period(target, 2).study_period_id
    ]


def test_the_student_may_withdraw_from_the_new_instance(student, current, make_instance, allowed):
    target = make_instance(course=current.course_instance.course, start=40)
    new = services.change_instance(student, participation=current, target=target)

    services.withdraw(student, participation=new)

    assert (state_of(current), state_of(new)) == (S.CHANGED_INSTANCE, S.WITHDRAWN)


def test_a_second_change_from_the_old_place_is_refused(student, current, make_instance, allowed):
    course = current.course_instance.course
    target = make_instance(course=course, start=40)
    another = make_instance(course=course, start=80)
    services.change_instance(student, participation=current, target=target)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.change_instance(student, participation=current, target=another)

    assert str(refusal.value) == "You can change instance only on a course you are taking."
    assert rows() == before


def test_the_student_cannot_change_back_to_the_instance_they_left(
    student, current, make_instance, allowed
):
    target = make_instance(course=current.course_instance.course, start=40)
    new = services.change_instance(student, participation=current, target=target)
    before = rows()

    assert services.change_instance_targets(new) == []
    with pytest.raises(RegistrationError) as refusal:
        services.change_instance(student, participation=new, target=current.course_instance)

    assert str(refusal.value) == "You cannot change to that course instance."
    assert (state_of(current), state_of(new)) == (S.CHANGED_INSTANCE, S.ADMITTED)
    assert rows() == before
