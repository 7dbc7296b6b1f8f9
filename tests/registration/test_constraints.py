"""What must never happen is refused by the database itself, whatever code path writes."""

import pytest
from django.db import IntegrityError, connection, transaction

from registration.models import CourseParticipation, ParticipationState, Registration
from tests.factories import (
    CourseInstancePeriodFactory,
    CourseParticipationFactory,
    StudyPeriodFactory,
)

pytestmark = pytest.mark.django_db


def test_two_active_participations_on_one_instance_are_refused():
    first = CourseParticipationFactory(state=ParticipationState.ADMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseParticipationFactory(
            person=first.person,
            course_instance=first.course_instance,
            state=ParticipationState.REGISTERED,
        )


def test_a_withdrawn_participation_leaves_room_for_a_new_one():
    first = CourseParticipationFactory(state=ParticipationState.WITHDRAWN)
    CourseParticipationFactory(person=first.person, course_instance=first.course_instance)
    assert CourseParticipation.objects.filter(person=first.person).count() == 2


def test_unknown_state_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseParticipationFactory(state="enrolled")


def test_early_dropout_only_on_a_dropout():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseParticipationFactory(state=ParticipationState.REGISTERED, early_dropout=True)


def test_registering_twice_for_one_period_is_refused():
    period = CourseInstancePeriodFactory()
    participation = CourseParticipationFactory(
        course_instance=period.course_instance, state=ParticipationState.REGISTERED
    )
    fields = {
        "participation": participation,
        "institution": participation.institution,
        "course_instance": period.course_instance,
        "study_period": period.study_period,
    }
    Registration.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(**fields)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite keys exist on PostgreSQL")
def test_registration_outside_the_instances_study_periods_is_refused():
    period = CourseInstancePeriodFactory()
    participation = CourseParticipationFactory(
        course_instance=period.course_instance, state=ParticipationState.REGISTERED
    )
    foreign_period = StudyPeriodFactory(institution=participation.institution)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            participation=participation,
            institution=participation.institution,
            course_instance=period.course_instance,
            study_period=foreign_period,
        )
        connection.check_constraints()  # the key is deferred to commit; ask now


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite keys exist on PostgreSQL")
def test_registration_on_another_instance_than_the_participations_is_refused():
    period = CourseInstancePeriodFactory()
    other = CourseInstancePeriodFactory(course_instance__course__institution=period.institution)
    participation = CourseParticipationFactory(
        course_instance=period.course_instance, state=ParticipationState.REGISTERED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            participation=participation,
            institution=participation.institution,
            course_instance=other.course_instance,
            study_period=other.study_period,
        )
        connection.check_constraints()


def test_only_canonical_identity_numbers_are_stored():
    from people.models import Person
    from tests.factories import PersonFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(identity_number="81121898-76")
    assert Person.objects.count() == 0
