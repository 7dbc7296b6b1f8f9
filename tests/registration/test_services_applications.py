"""Applications within a programme (S-APP-1, S-APP-2): only in the period, only within the
student's own programme, once; removal only where the university allows it and within the
period; and a new application after a removal."""

import pytest

from ladokportal.errors import NotAllowed
from registration import services
from registration.models import (
    Application,
    ApplicationOffer,
    CourseParticipation,
    ParticipationSource,
    ProgrammeParticipation,
)
from registration.services import RegistrationError
from tests.factories import (
    CourseParticipationFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    UserFactory,
)
from tests.registration.conftest import S, days, history, period, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(student, institution):
    return ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )


@pytest.fixture
def make_offer(programme, make_instance, today):
    def make(*, window=(-3, 3), specialisation=None, programme_instance=None, instance=None):
        target = {"specialisation_instance": specialisation} if specialisation else {}
        if not specialisation:
            target["course_instance"] = instance or make_instance(start=30)
        pi = programme_instance or programme.programme_instance
        return ApplicationOffer.objects.create(
            institution_id=pi.institution_id,
            programme_instance=pi,
            opens=today + days(window[0]),
            closes=today + days(window[1]),
            **target,
        )

    return make


def test_apply_gives_expected_participation_on_the_course(student, programme, make_offer):
    offer = make_offer()

    application = services.apply(student, offer=offer)

    course = CourseParticipation.objects.get(pk=application.course_participation_id)
    assert (course.person_id, course.course_instance_id, course.state, course.source) == (
        student.person_id,
        offer.course_instance_id,
        S.EXPECTED,
        ParticipationSource.APPLICATION,
    )
    assert course.programme_participation_id == programme.pk
    assert (application.person_id, application.offer_id, application.removed_at) == (
        student.person_id,
        offer.pk,
        None,
    )
    assert history(course) == [(student.pk, "", S.EXPECTED, "application")]


def test_apply_for_a_specialisation_gives_expected_participation_on_it(
    student, programme, make_offer, institution
):
    specialisation = ProgrammeInstanceFactory(
        programme__institution=institution, programme__kind="specialisation"
    )
    offer = make_offer(specialisation=specialisation)

    application = services.apply(student, offer=offer)

    spec = ProgrammeParticipation.objects.get(pk=application.programme_participation_id)
    assert (spec.programme_instance_id, spec.state) == (specialisation.pk, S.EXPECTED)
    assert application.course_participation_id is None
    assert history(spec) == [(student.pk, "", S.EXPECTED, "application")]


@pytest.mark.parametrize(
    ("window", "reason"),
    [
        ((2, 9), "Applications open {opens}."),
        ((-9, -1), "The application period ended {closes}."),
    ],
    ids=["before", "after"],
)
def test_apply_outside_the_period_is_refused(student, programme, make_offer, window, reason):
    offer = make_offer(window=window)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.apply(student, offer=offer)

    assert str(refusal.value) == reason.format(
        opens=offer.opens.isoformat(), closes=offer.closes.isoformat()
    )
    assert rows() == before


@pytest.mark.parametrize("window", [(0, 3), (-3, 0)], ids=["first-day", "last-day"])
def test_apply_on_the_first_and_last_day(student, programme, make_offer, window):
    services.apply(student, offer=make_offer(window=window))

    assert Application.objects.filter(person=student.person).count() == 1


def test_apply_within_another_programme_is_refused(student, programme, make_offer, institution):
    offer = make_offer(
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution)
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.apply(student, offer=offer)

    assert str(refusal.value) == "You can apply only within a programme you take."
    assert rows() == before


def test_apply_within_a_programme_the_student_left_is_refused(student, programme, make_offer):
    programme.state = S.WITHDRAWN
    programme.save()
    offer = make_offer()
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.apply(student, offer=offer)

    assert str(refusal.value) == "You can apply only within a programme you take."
    assert rows() == before


def test_apply_twice_is_refused(student, programme, make_offer):
    offer = make_offer()
    services.apply(student, offer=offer)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.apply(student, offer=offer)

    assert str(refusal.value) == "You have already applied."
    assert rows() == before


def test_apply_for_a_course_the_student_already_holds_is_refused(
    student, programme, make_offer, make_instance
):
    instance = make_instance(start=30)
    CourseParticipationFactory(person=student.person, course_instance=instance)
    offer = make_offer(instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.apply(student, offer=offer)

    assert str(refusal.value) == f"You already have a place on {instance.course.name}."
    assert rows() == before


def test_apply_without_being_a_student_is_not_permitted(programme, make_offer):
    before = rows()

    with pytest.raises(NotAllowed):
        services.apply(UserFactory(username="staff-only"), offer=make_offer())

    assert rows() == before


# --- removal (S-APP-2) --------------------------------------------------------------------------


def test_remove_application_within_the_period_cancels_the_expected_place(
    student, programme, make_offer
):
    application = services.apply(student, offer=make_offer())

    services.remove_application(student, application=application)

    application.refresh_from_db()
    course = CourseParticipation.objects.get(pk=application.course_participation_id)
    assert application.removed_at is not None
    assert course.state == S.CANCELLED
    assert history(course) == [
        (student.pk, "", S.EXPECTED, "application"),
        (student.pk, S.EXPECTED, S.CANCELLED, "application removed"),
    ]


def test_remove_application_switched_off_is_refused(student, programme, make_offer, uni_settings):
    application = services.apply(student, offer=make_offer())
    uni_settings.allow_remove_application = False
    uni_settings.save()
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.remove_application(student, application=application)

    assert str(refusal.value) == "Your university does not let students remove applications."
    application.refresh_from_db()
    assert application.removed_at is None
    assert rows() == before


def test_remove_application_after_the_period_is_refused(student, programme, make_offer, today):
    offer = make_offer()
    application = services.apply(student, offer=offer)
    ApplicationOffer.objects.filter(pk=offer.pk).update(
        opens=today - days(9), closes=today - days(1)
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.remove_application(student, application=application)

    assert str(refusal.value).startswith(
        f"The application period ended {(today - days(1)).isoformat()}"
    )
    application.refresh_from_db()
    assert application.removed_at is None
    assert rows() == before


def test_remove_application_after_registering_on_the_course_is_refused(
    student, programme, make_offer, make_instance
):
    instance = make_instance(start=30)
    application = services.apply(student, offer=make_offer(instance=instance))
    services.register(
        student, participation=application.course_participation, period=period(instance)
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.remove_application(student, application=application)

    assert str(refusal.value) == "You have registered on what you applied for, so it stands."
    application.refresh_from_db()
    assert application.removed_at is None
    assert application.course_participation.state == S.REGISTERED
    assert rows() == before


def test_remove_application_after_withdrawing_from_the_course_is_refused(
    student, programme, make_offer
):
    application = services.apply(student, offer=make_offer())
    services.withdraw(student, participation=application.course_participation)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.remove_application(student, application=application)

    assert str(refusal.value) == "You no longer hold the place you applied for."
    application.refresh_from_db()
    assert application.removed_at is None
    assert rows() == before


def test_remove_application_twice_is_refused(student, programme, make_offer):
    application = services.apply(student, offer=make_offer())
    services.remove_application(student, application=application)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.remove_application(student, application=application)

    assert str(refusal.value) == "The application has already been removed."
    assert rows() == before


def test_remove_another_students_application_is_not_permitted(
    student, other_student, programme, make_offer
):
    application = services.apply(student, offer=make_offer())
    before = rows()

    with pytest.raises(NotAllowed):
        services.remove_application(other_student, application=application)

    application.refresh_from_db()
    assert application.removed_at is None
    assert rows() == before


def test_apply_again_after_removal(student, programme, make_offer):
    offer = make_offer()
    first = services.apply(student, offer=offer)
    services.remove_application(student, application=first)

    second = services.apply(student, offer=offer)

    assert second.pk != first.pk
    assert second.course_participation_id != first.course_participation_id
    assert second.course_participation.state == S.EXPECTED
    assert list(
        Application.objects.filter(person=student.person, removed_at__isnull=True).values_list(
            "pk", flat=True
        )
    ) == [second.pk]
