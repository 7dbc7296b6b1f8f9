import datetime

import factory
from django.utils import timezone

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
    opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
