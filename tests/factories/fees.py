import datetime
from decimal import Decimal

import factory

from fees.models import FeeLiability, FeePeriod
from ladokportal import clock


class FeeLiabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeLiability

    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    person = factory.SubFactory("tests.factories.people.PersonFactory")
    liable = True
    ground = ""
    decided_by = factory.SubFactory("tests.factories.people.UserFactory")
    decided_at = factory.LazyFunction(clock.now)


class FeePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeePeriod

    course_instance = factory.SubFactory("tests.factories.catalog.CourseInstanceFactory")
    institution = factory.SelfAttribute("course_instance.institution")
    study_period = factory.SubFactory(
        "tests.factories.catalog.StudyPeriodFactory",
        institution=factory.SelfAttribute("..institution"),
    )
    credits = Decimal("30.0")
    amount = Decimal("45000.00")
    instalments = 1
    first_due_date = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=20))
