import datetime

import factory
from django.utils import timezone

from exams.models import ActivitySession, CalendarFeed, Signup
from ladokportal import clock


def _at(days: int, hour: int = 8) -> datetime.datetime:
    day = clock.today() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class ActivitySessionFactory(factory.django.DjangoModelFactory):
    """A written exam in three weeks with sign-up open now. Pass course_instances=[...]."""

    class Meta:
        model = ActivitySession
        skip_postgeneration_save = True

    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    kind = "written"
    label = factory.Sequence(lambda n: f"TEN{n}")
    name_sv = factory.Sequence(lambda n: f"Tentamen {n}")
    name_en = factory.Sequence(lambda n: f"Written exam {n}")
    starts_at = factory.LazyFunction(lambda: _at(21))
    ends_at = factory.LazyFunction(lambda: _at(21, 13))
    town = "Lund"
    place = "Sparta A"
    signup_opens = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=7))
    signup_closes = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=7))

    @factory.post_generation
    def course_instances(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.course_instances.set(extracted)


class SignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signup

    session = factory.SubFactory(ActivitySessionFactory)
    institution = factory.SelfAttribute("session.institution")
    person = factory.SubFactory("tests.factories.people.PersonFactory")


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A person's secret calendar link (B-9)."""

    class Meta:
        model = CalendarFeed

    person = factory.SubFactory("tests.factories.people.PersonFactory")
