"""Applications within a programme (S-APP-1, S-APP-2, G-4, B-1): a confirmed application gives
expected participation; within the period and where allowed it can be removed, and the student
may apply again; outside the period the refusal says when."""

import datetime

import pytest

from ladokportal.errors import NotAllowed
from registration import services, workflow
from registration.models import (
    Application,
    CourseParticipation,
    ParticipationSource,
    ParticipationState,
)
from registration.services import RegistrationError
from tests.factories import ApplicationOfferFactory, ProgrammeInstanceFactory

pytestmark = pytest.mark.django_db

S = ParticipationState


@pytest.fixture
def offer(programme):
    return ApplicationOfferFactory(programme_instance=programme)


def _refusal(action, *args, **kwargs) -> str:
    with pytest.raises(RegistrationError) as refused:
        action(*args, **kwargs)
    return str(refused.value)


def test_application_gives_expected_participation_with_history(student, place, offer):
    application = services.apply(student, offer=offer)

    course = application.course_participation
    assert (course.course_instance, course.state, course.source) == (
        offer.course_instance,
        S.EXPECTED,
        ParticipationSource.APPLICATION,
    )
    assert course.programme_participation == place
    assert list(course.events.values_list("from_state", "to_state", "actor")) == [
        ("", S.EXPECTED, student.pk)
    ]


def test_application_for_a_specialisation_gives_expected_participation_on_it(
    student, place, programme, institution
):
    specialisation = ProgrammeInstanceFactory(programme__institution=institution)
    offer = ApplicationOfferFactory(
        programme_instance=programme, course_instance=None, specialisation_instance=specialisation
    )

    application = services.apply(student, offer=offer)

    assert (
        application.programme_participation.programme_instance,
        application.programme_participation.state,
    ) == (specialisation, S.EXPECTED)


def test_applying_twice_is_refused(student, offer):
    services.apply(student, offer=offer)

    assert _refusal(services.apply, student, offer=offer) == "You have already applied."
    assert Application.objects.count() == 1


def test_before_the_period_the_refusal_says_when_it_opens(student, programme, today):
    opens = today + datetime.timedelta(days=5)
    offer = ApplicationOfferFactory(
        programme_instance=programme, opens=opens, closes=opens + datetime.timedelta(days=5)
    )

    assert _refusal(services.apply, student, offer=offer) == (
        f"Applications open {opens.isoformat()}."
    )
    assert Application.objects.count() == 0
    assert CourseParticipation.objects.count() == 0


def test_after_the_period_the_refusal_says_when_it_ended(student, programme, today):
    closes = today - datetime.timedelta(days=1)
    offer = ApplicationOfferFactory(
        programme_instance=programme, opens=closes - datetime.timedelta(days=5), closes=closes
    )

    assert _refusal(services.apply, student, offer=offer) == (
        f"The application period ended {closes.isoformat()}."
    )
    assert Application.objects.count() == 0


def test_a_student_outside_the_programme_cannot_apply(make_student, offer):
    outsider = make_student("olle", instance=ProgrammeInstanceFactory())

    assert _refusal(services.apply, outsider, offer=offer) == (
        "You can apply only within a programme you take."
    )
    assert Application.objects.count() == 0


def test_removing_within_the_period_cancels_and_the_student_may_apply_again(student, offer):
    first = services.apply(student, offer=offer)

    services.remove_application(student, application=first)

    first.refresh_from_db()
    first.course_participation.refresh_from_db()
    assert first.removed_at is not None
    assert first.course_participation.state == S.CANCELLED
    again = services.apply(student, offer=offer)
    assert again.pk != first.pk
    assert again.course_participation.state == S.EXPECTED


def test_removal_is_refused_where_the_university_does_not_allow_it(student, offer, uni_settings):
    application = services.apply(student, offer=offer)
    uni_settings.allow_remove_application = False
    uni_settings.save()

    assert _refusal(services.remove_application, student, application=application) == (
        "Your university does not let students remove applications."
    )
    application.refresh_from_db()
    assert application.removed_at is None
    assert application.course_participation.state == S.EXPECTED


def test_removal_is_refused_after_the_period(student, offer, today):
    application = services.apply(student, offer=offer)
    closes = today - datetime.timedelta(days=1)
    type(offer).objects.filter(pk=offer.pk).update(
        opens=closes - datetime.timedelta(days=5), closes=closes
    )

    assert _refusal(services.remove_application, student, application=application) == (
        f"The application period ended {closes.isoformat()}, "
        "so the application can no longer be removed."
    )
    application.refresh_from_db()
    assert application.removed_at is None


def test_removal_is_refused_once_the_student_has_registered(student, offer):
    application = services.apply(student, offer=offer)
    workflow.transition(application.course_participation, S.REGISTERED, actor=student)

    assert _refusal(services.remove_application, student, application=application) == (
        "You have registered on what you applied for, so it stands."
    )
    application.refresh_from_db()
    assert application.removed_at is None


def test_a_student_cannot_remove_another_students_application(student, make_student, offer):
    application = services.apply(student, offer=offer)

    with pytest.raises(NotAllowed):
        services.remove_application(make_student("olle"), application=application)
    application.refresh_from_db()
    assert application.removed_at is None
