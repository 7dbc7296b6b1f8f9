import factory

from registration.models import (
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
