import datetime

import factory

from ladokportal import clock
from studychoices.models import ChoiceAlternative, ChoicePeriod, StudyChoice


class ChoicePeriodFactory(factory.django.DjangoModelFactory):
    """Open today unless told otherwise."""

    class Meta:
        model = ChoicePeriod

    programme_instance = factory.SubFactory("tests.factories.catalog.ProgrammeInstanceFactory")
    institution = factory.SelfAttribute("programme_instance.institution")
    name_sv = factory.Sequence(lambda n: f"Studieval {n}")
    name_en = factory.Sequence(lambda n: f"Study choice {n}")
    opens = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=7))
    closes = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=7))
    min_picks = 1
    max_picks = 1


class ChoiceAlternativeFactory(factory.django.DjangoModelFactory):
    """A course instance of the period's university, unless a specialisation is given."""

    class Meta:
        model = ChoiceAlternative

    period = factory.SubFactory(ChoicePeriodFactory)
    institution = factory.SelfAttribute("period.institution")
    course_instance = factory.SubFactory(
        "tests.factories.catalog.CourseInstanceFactory",
        course__institution=factory.SelfAttribute("...institution"),
    )
    position = factory.Sequence(lambda n: n)


class StudyChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyChoice

    person = factory.SubFactory("tests.factories.people.PersonFactory")
    period = factory.SubFactory(ChoicePeriodFactory)
    institution = factory.SelfAttribute("period.institution")
