"""Two requests at the same moment (S-REG-4, issue #3 acceptance): each action runs in its own
thread and database connection, released together by a barrier, on PostgreSQL where row locks
are real. Whatever the interleaving, the end state is one a single request could have made."""

import pytest
from django.db import connection

from registration import services
from registration.models import Application, CourseParticipation, ProgrammeParticipation
from registration.services import RegistrationError
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.factories import (
    CourseParticipationFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
)
from tests.registration.conftest import S, days, history, period

pytestmark = [
    pytest.mark.postgres,
    # The flush after each test empties the grading scales; the factories put them back.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
    ),
]


def refusal(outcome: object) -> str:
    assert isinstance(outcome, RegistrationError), repr(outcome)
    return str(outcome)


def test_two_registrations_at_once_make_one(student, make_instance):
    for _ in range(REPETITIONS):
        instance = make_instance()
        participation = CourseParticipationFactory(person=student.person, course_instance=instance)

        def register(participation=participation, instance=instance):
            return services.register(student, participation=participation, period=period(instance))

        outcomes = run_together(register, register)

        made = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [refusal(o) for o in outcomes if isinstance(o, Exception)]
        assert len(made) == 1
        assert refused == ["You are already registered for this study period."]
        assert list(participation.registrations.values_list("pk", flat=True)) == [made[0].pk]
        assert history(participation) == [(student.pk, S.ADMITTED, S.REGISTERED, "study period 1")]


def test_withdrawal_racing_a_registration_ends_in_one_of_them(student, make_instance):
    for repetition in range(REPETITIONS):
        instance = make_instance()
        participation = CourseParticipationFactory(person=student.person, course_instance=instance)

        registered, withdrawn = run_together(
            lambda p=participation, i=instance: services.register(
                student, participation=p, period=period(i)
            ),
            lambda p=participation: services.withdraw(student, participation=p),
            delays=head_start(repetition),
        )

        participation.refresh_from_db()
        events = history(participation)
        if participation.state == S.REGISTERED:
            assert refusal(withdrawn) == (
                "You are registered. To leave the course, drop out instead."
            )
            assert participation.registrations.count() == 1
            assert events == [(student.pk, S.ADMITTED, S.REGISTERED, "study period 1")]
        else:
            assert participation.state == S.WITHDRAWN
            assert refusal(registered) == "You have withdrawn from this course."
            assert participation.registrations.count() == 0
            assert events == [(student.pk, S.ADMITTED, S.WITHDRAWN, "withdrawn by the student")]


@pytest.mark.parametrize("leave", ["withdraw_from_programme", "drop_out_of_programme"])
def test_leaving_a_programme_racing_a_registration_on_its_course_ends_in_one_of_them(
    student, make_instance, institution, leave
):
    """The programme place and its course are locked in the same order by every service, so
    neither request waits for the other forever (a deadlock PostgreSQL would break with an
    error the student sees as a failure)."""
    for repetition in range(REPETITIONS):
        programme = ProgrammeParticipationFactory(
            person=student.person,
            programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
            state=S.ADMITTED if leave == "withdraw_from_programme" else S.REGISTERED,
        )
        instance = make_instance()
        course = CourseParticipationFactory(
            person=student.person, course_instance=instance, programme_participation=programme
        )

        registered, left = run_together(
            lambda c=course, i=instance: services.register(
                student, participation=c, period=period(i)
            ),
            lambda p=programme: getattr(services, leave)(student, participation=p),
            delays=head_start(repetition),
        )

        programme.refresh_from_db()
        course.refresh_from_db()
        assert not isinstance(registered, Exception) or refusal(registered)
        assert not isinstance(left, Exception) or refusal(left)
        registrations = course.registrations.count()
        if isinstance(registered, Exception):
            assert (registrations, course.state) == (0, S.WITHDRAWN)
            assert programme.state == (
                S.WITHDRAWN if leave == "withdraw_from_programme" else S.DROPPED
            )
        elif leave == "withdraw_from_programme":
            assert isinstance(left, RegistrationError)
            assert (registrations, course.state, programme.state) == (
                1,
                S.REGISTERED,
                S.REGISTERED,
            )
        else:
            assert (registrations, course.state, course.early_dropout) == (1, S.DROPPED, True)
            assert programme.state == S.DROPPED


def test_two_applications_at_once_make_one(student, make_instance, institution, today):
    from registration.models import ApplicationOffer

    programme = ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )
    for _ in range(REPETITIONS):
        offer = ApplicationOffer.objects.create(
            institution=institution,
            programme_instance=programme.programme_instance,
            course_instance=make_instance(start=30),
            opens=today - days(1),
            closes=today + days(1),
        )

        outcomes = run_together(
            lambda o=offer: services.apply(student, offer=o),
            lambda o=offer: services.apply(student, offer=o),
        )

        made = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [refusal(o) for o in outcomes if isinstance(o, Exception)]
        assert len(made) == 1
        assert refused == ["You have already applied."]
        assert list(Application.objects.filter(offer=offer).values_list("pk", flat=True)) == [
            made[0].pk
        ]
        assert list(
            CourseParticipation.objects.filter(
                course_instance=offer.course_instance_id
            ).values_list("pk", flat=True)
        ) == [made[0].course_participation_id]
    assert ProgrammeParticipation.objects.get(pk=programme.pk).state == S.REGISTERED
