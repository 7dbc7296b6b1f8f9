import datetime

import factory

from ladokportal import clock
from registration.models import (
    ApplicationOffer,
    CourseParticipation,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)


class CourseParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseParticipation

    person = factory.SubFactory("tests.factories.people.PersonFactory")
    course_instance = factory.SubFactory("tests.factories.catalog.CourseInstanceFactory")
    institution = factory.SelfAttribute("course_instance.institution")
    state = ParticipationState.ADMITTED


class ProgrammeParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeParticipation

    person = factory.SubFactory("tests.factories.people.PersonFactory")
    programme_instance = factory.SubFactory("tests.factories.catalog.ProgrammeInstanceFactory")
    institution = factory.SelfAttribute("programme_instance.institution")
    state = ParticipationState.ADMITTED


class RegistrationFactory(factory.django.DjangoModelFactory):
    """Needs a participation whose instance has a period for `study_period`."""

    class Meta:
        model = Registration

    participation = factory.SubFactory(
        CourseParticipationFactory, state=ParticipationState.REGISTERED
    )
    institution = factory.SelfAttribute("participation.institution")
    course_instance = factory.SelfAttribute("participation.course_instance")


class ApplicationOfferFactory(factory.django.DjangoModelFactory):
    """A course instance of the programme's university, open today unless told otherwise."""

    class Meta:
        model = ApplicationOffer

    programme_instance = factory.SubFactory("tests.factories.catalog.ProgrammeInstanceFactory")
    institution = factory.SelfAttribute("programme_instance.institution")
    course_instance = factory.SubFactory(
        "tests.factories.catalog.CourseInstanceFactory",
        course__institution=factory.SelfAttribute("...institution"),
    )
    opens = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=7))
    closes = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=7))


class LeaveOfAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registration.LeaveOfAbsence"

    programme_participation = factory.SubFactory(ProgrammeParticipationFactory)
    institution = factory.SelfAttribute("programme_participation.institution")
    start_date = factory.LazyFunction(clock.today)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=180))


class IndividualStudyPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registration.IndividualStudyPlan"

    programme_participation = factory.SubFactory(ProgrammeParticipationFactory)
    institution = factory.SelfAttribute("programme_participation.institution")
    established_on = factory.LazyFunction(clock.today)
    main_supervisor = "Professor Maja Handledare"


class StudyActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registration.StudyActivity"

    programme_participation = factory.SubFactory(ProgrammeParticipationFactory)
    institution = factory.SelfAttribute("programme_participation.institution")
    start_date = factory.LazyFunction(clock.today)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=180))
    activity_percent = 80


def participation_with_periods(
    person,
    institution,
    *,
    state: str = ParticipationState.ADMITTED,
    start: int = 10,
    length: int = 120,
    windows: tuple[tuple[int, int] | None, ...] = ((-5, 5),),
    registered: int = 0,
    **fields,
) -> CourseParticipation:
    """A participation on a new course instance starting `start` days from today, with one study
    period per registration window ((opens, closes) in days from today, or None), registered on
    the first `registered` of them."""
    from tests.factories.catalog import CourseInstanceFactory, CourseInstancePeriodFactory

    today = clock.today()
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=today + datetime.timedelta(days=start),
        end_date=today + datetime.timedelta(days=start + length),
    )
    periods = [
        CourseInstancePeriodFactory(
            course_instance=instance,
            sequence=sequence,
            study_period__start_date=today + datetime.timedelta(days=start + 60 * (sequence - 1)),
            study_period__end_date=today + datetime.timedelta(days=start + 60 * sequence - 1),
            registration_opens=None if window is None else today + datetime.timedelta(window[0]),
            registration_closes=None if window is None else today + datetime.timedelta(window[1]),
        )
        for sequence, window in enumerate(windows, start=1)
    ]
    participation = CourseParticipationFactory(
        person=person, course_instance=instance, state=state, **fields
    )
    for period in periods[:registered]:
        RegistrationFactory(participation=participation, study_period=period.study_period)
    return participation
