"""Study choices (S-CHOICE-1, S-CHOICE-2, G-4, B-1): every rule refuses with the rule that was
broken and writes nothing; a confirmed choice gives expected participation with history; a
removal within the period, where allowed, cancels it and the student may choose again."""

import datetime
from decimal import Decimal

import pytest

from ladokportal.errors import NotAllowed
from registration import workflow
from registration.models import (
    CourseParticipation,
    ParticipationEvent,
    ParticipationSource,
    ParticipationState,
    ProgrammeParticipation,
)
from studychoices import services
from studychoices.models import StudyChoice, StudyChoiceItem
from tests.factories import CourseParticipationFactory, ProgrammeInstanceFactory

pytestmark = pytest.mark.django_db

S = ParticipationState


def _nothing_written(person) -> None:
    """No choice, no item, no participation from a choice, no history."""
    assert StudyChoice.objects.filter(person=person).count() == 0
    assert StudyChoiceItem.objects.count() == 0
    assert CourseParticipation.objects.filter(person=person).count() == 0
    assert ParticipationEvent.objects.count() == 0


def _refusal(student, period, alternatives) -> str:
    with pytest.raises(services.StudyChoiceError) as refused:
        services.choose(student, period=period, alternatives=alternatives)
    return str(refused.value)


# --- A confirmed choice -------------------------------------------------------------------------


def test_choice_gives_expected_participation_on_each_chosen_course(
    student, place, make_period, add_alternative
):
    period = make_period(min_picks=2, max_picks=3)
    first, second, _unchosen = (add_alternative(period) for _ in range(3))

    choice = services.choose(student, period=period, alternatives=[first, second])

    items = list(choice.items.order_by("alternative__position"))
    assert [item.alternative for item in items] == [first, second]
    participations = [item.course_participation for item in items]
    assert [p.course_instance for p in participations] == [
        first.course_instance,
        second.course_instance,
    ]
    assert {(p.state, p.source, p.programme_participation_id) for p in participations} == {
        (S.EXPECTED, ParticipationSource.CHOICE, place.pk)
    }
    events = ParticipationEvent.objects.filter(course_participation__in=participations)
    assert sorted((e.from_state, e.to_state, e.actor_id) for e in events) == [
        ("", S.EXPECTED, student.pk),
        ("", S.EXPECTED, student.pk),
    ]


def test_choosing_a_specialisation_gives_expected_participation_on_it(
    student, place, make_period, add_alternative, institution
):
    period = make_period()
    specialisation = ProgrammeInstanceFactory(
        programme__institution=institution, programme__kind="specialisation"
    )
    alternative = add_alternative(period, specialisation_instance=specialisation)

    choice = services.choose(student, period=period, alternatives=[alternative])

    item = choice.items.get()
    assert item.course_participation is None
    assert (
        item.programme_participation.programme_instance,
        item.programme_participation.state,
    ) == (
        specialisation,
        S.EXPECTED,
    )
    assert list(item.programme_participation.events.values_list("from_state", "to_state")) == [
        ("", S.EXPECTED)
    ]


def test_credit_limits_count_only_courses(
    student, place, make_period, add_alternative, institution
):
    period = make_period(
        min_picks=2, max_picks=2, min_credits=Decimal("15"), max_credits=Decimal("15")
    )
    course = add_alternative(period, credits="15")
    specialisation = add_alternative(
        period,
        specialisation_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )

    choice = services.choose(student, period=period, alternatives=[course, specialisation])

    assert choice.items.count() == 2


# --- Rules broken: the rule is named and nothing is written -------------------------------------


def test_too_few_picks_are_refused_and_nothing_written(student, make_period, add_alternative):
    period = make_period(min_picks=2, max_picks=3)
    alternative = add_alternative(period)

    assert _refusal(student, period, [alternative]) == "Choose at least 2 alternatives."
    _nothing_written(student.person)


def test_no_pick_at_all_is_refused(student, make_period, add_alternative):
    period = make_period(min_picks=1, max_picks=1)
    add_alternative(period)

    assert _refusal(student, period, []) == "Choose at least 1 alternative."
    _nothing_written(student.person)


def test_too_many_picks_are_refused_and_nothing_written(student, make_period, add_alternative):
    period = make_period(min_picks=1, max_picks=3)
    alternatives = [add_alternative(period) for _ in range(4)]

    assert _refusal(student, period, alternatives) == "Choose at most 3 alternatives."
    _nothing_written(student.person)


def test_credits_outside_the_limits_are_refused_with_the_total(
    student, make_period, add_alternative
):
    period = make_period(
        min_picks=1, max_picks=4, min_credits=Decimal("30"), max_credits=Decimal("30")
    )
    alternatives = [add_alternative(period, credits="7.5") for _ in range(3)]

    assert _refusal(student, period, alternatives) == (
        "The chosen courses add up to 22.5 credits; choose between 30 and 30."
    )
    _nothing_written(student.person)


def test_credits_above_a_maximum_alone_are_refused(student, make_period, add_alternative):
    period = make_period(min_picks=1, max_picks=2, max_credits=Decimal("15"))
    alternatives = [add_alternative(period, credits="10"), add_alternative(period, credits="7.5")]

    assert _refusal(student, period, alternatives) == (
        "The chosen courses add up to 17.5 credits; choose at most 15 credits."
    )
    _nothing_written(student.person)


def test_credits_below_a_minimum_alone_are_refused(student, make_period, add_alternative):
    period = make_period(min_picks=1, max_picks=2, min_credits=Decimal("15"))
    alternative = add_alternative(period, credits="7.5")

    assert _refusal(student, period, [alternative]) == (
        "The chosen courses add up to 7.5 credits; choose at least 15 credits."
    )
    _nothing_written(student.person)


def test_alternative_of_another_period_is_refused(student, make_period, add_alternative):
    period, other = make_period(), make_period()
    stranger = add_alternative(other)
    add_alternative(period)

    assert _refusal(student, period, [stranger]) == (
        "You can only choose among the alternatives of this period."
    )
    _nothing_written(student.person)


def test_the_same_alternative_twice_is_refused(student, make_period, add_alternative):
    period = make_period(min_picks=1, max_picks=2)
    alternative = add_alternative(period)

    assert _refusal(student, period, [alternative, alternative]) == (
        "Choose each alternative only once."
    )
    _nothing_written(student.person)


def test_a_course_the_student_already_has_a_place_on_is_refused_and_nothing_kept(
    student, make_period, add_alternative
):
    period = make_period(min_picks=2, max_picks=2)
    free, held = add_alternative(period), add_alternative(period)
    CourseParticipationFactory(person=student.person, course_instance=held.course_instance)
    before = CourseParticipation.objects.count()

    # The free alternative comes first: its expected participation must be rolled back too.
    assert _refusal(student, period, [free, held]) == (
        f"You already have a place on {held.course_instance.course.name}."
    )
    assert StudyChoice.objects.count() == 0
    assert CourseParticipation.objects.count() == before
    assert ParticipationEvent.objects.count() == 0


def test_before_the_period_the_refusal_says_when_it_opens(
    student, make_period, add_alternative, today
):
    opens = today + datetime.timedelta(days=3)
    period = make_period(opens=opens, closes=opens + datetime.timedelta(days=7))
    alternative = add_alternative(period)

    assert _refusal(student, period, [alternative]) == (
        f"The choice period opens {opens.isoformat()}."
    )
    _nothing_written(student.person)


def test_after_the_period_the_refusal_says_when_it_ended(
    student, make_period, add_alternative, today
):
    closes = today - datetime.timedelta(days=1)
    period = make_period(opens=closes - datetime.timedelta(days=7), closes=closes)
    alternative = add_alternative(period)

    assert _refusal(student, period, [alternative]) == (
        f"The choice period ended {closes.isoformat()}."
    )
    _nothing_written(student.person)


def test_a_student_outside_the_programme_is_refused(make_student, make_period, add_alternative):
    outsider = make_student("olle", instance=ProgrammeInstanceFactory())
    period = make_period()
    alternative = add_alternative(period)

    assert _refusal(outsider, period, [alternative]) == (
        "You can choose only within a programme you take."
    )
    _nothing_written(outsider.person)


def test_a_student_who_withdrew_from_the_programme_is_refused(
    student, place, make_period, add_alternative
):
    ProgrammeParticipation.objects.filter(pk=place.pk).update(state=S.WITHDRAWN)
    period = make_period()

    assert _refusal(student, period, [add_alternative(period)]) == (
        "You can choose only within a programme you take."
    )


def test_a_second_choice_in_the_same_period_is_refused(student, make_period, add_alternative):
    period = make_period()
    first, second = add_alternative(period), add_alternative(period)
    services.choose(student, period=period, alternatives=[first])

    assert _refusal(student, period, [second]) == (
        "You have already made your choice in this period."
    )
    assert StudyChoice.objects.count() == 1
    assert CourseParticipation.objects.filter(course_instance=second.course_instance).count() == 0


# --- Removing a choice (S-CHOICE-2, G-4) --------------------------------------------------------


def test_removing_within_the_period_cancels_and_the_student_may_choose_again(
    student, make_period, add_alternative
):
    period = make_period()
    first, second = add_alternative(period), add_alternative(period)
    choice = services.choose(student, period=period, alternatives=[first])
    expected = choice.items.get().course_participation

    services.remove_choice(student, choice=choice)

    choice.refresh_from_db()
    expected.refresh_from_db()
    assert choice.removed_at is not None
    assert expected.state == S.CANCELLED
    assert list(expected.events.values_list("from_state", "to_state", "note")) == [
        ("", S.EXPECTED, "choice"),
        (S.EXPECTED, S.CANCELLED, "study choice removed"),
    ]
    again = services.choose(student, period=period, alternatives=[second])
    assert again.pk != choice.pk
    assert again.items.get().course_participation.state == S.EXPECTED


def test_the_same_alternative_can_be_chosen_again_after_removal(
    student, make_period, add_alternative
):
    period = make_period()
    alternative = add_alternative(period)
    services.remove_choice(
        student, choice=services.choose(student, period=period, alternatives=[alternative])
    )

    services.choose(student, period=period, alternatives=[alternative])

    assert sorted(
        CourseParticipation.objects.filter(course_instance=alternative.course_instance).values_list(
            "state", flat=True
        )
    ) == [S.CANCELLED, S.EXPECTED]


def _chosen(student, make_period, add_alternative):
    period = make_period()
    return services.choose(student, period=period, alternatives=[add_alternative(period)])


def _assert_removal_refused(student, choice, message: str) -> None:
    with pytest.raises(services.StudyChoiceError) as refused:
        services.remove_choice(student, choice=choice)
    assert str(refused.value) == message
    choice.refresh_from_db()
    assert choice.removed_at is None


def test_removal_is_refused_where_the_university_does_not_allow_it(
    student, make_period, add_alternative, uni_settings
):
    choice = _chosen(student, make_period, add_alternative)
    uni_settings.allow_remove_choice = False
    uni_settings.save()

    _assert_removal_refused(
        student, choice, "Your university does not let students remove a study choice."
    )
    assert choice.items.get().course_participation.state == S.EXPECTED


def test_removal_is_refused_after_the_period(student, make_period, add_alternative, today):
    choice = _chosen(student, make_period, add_alternative)
    closes = today - datetime.timedelta(days=1)
    type(choice.period).objects.filter(pk=choice.period_id).update(
        opens=closes - datetime.timedelta(days=7), closes=closes
    )

    _assert_removal_refused(
        student,
        choice,
        f"The choice period ended {closes.isoformat()}, so the choice can no longer be removed.",
    )


def test_removal_is_refused_once_the_student_has_registered(student, make_period, add_alternative):
    choice = _chosen(student, make_period, add_alternative)
    participation = choice.items.get().course_participation
    workflow.transition(participation, S.REGISTERED, actor=student)

    _assert_removal_refused(
        student, choice, "You have registered on what you chose, so the choice stands."
    )
    participation.refresh_from_db()
    assert participation.state == S.REGISTERED


def test_a_student_cannot_remove_another_students_choice(
    student, make_student, make_period, add_alternative
):
    choice = _chosen(student, make_period, add_alternative)
    other = make_student("olle")

    with pytest.raises(NotAllowed):
        services.remove_choice(other, choice=choice)
    choice.refresh_from_db()
    assert choice.removed_at is None


def test_a_removed_choice_cannot_be_removed_twice(student, make_period, add_alternative):
    choice = _chosen(student, make_period, add_alternative)
    services.remove_choice(student, choice=choice)

    with pytest.raises(services.StudyChoiceError) as refused:
        services.remove_choice(student, choice=choice)
    assert str(refused.value) == "The choice has already been removed."
