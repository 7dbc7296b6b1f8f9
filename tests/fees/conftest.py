import datetime
from decimal import Decimal

import pytest

from fees.services import invoicing
from ladokportal import clock
from people.models import StaffRoleKind
from registration.models import ParticipationState
from tests.factories import (
    CourseInstanceFactory,
    CourseParticipationFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.fees import FeeLiabilityFactory, FeePeriodFactory


@pytest.fixture
def fee_admin(institution):
    user = UserFactory(username="fia")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.FEE_ADMIN)
    return user


@pytest.fixture
def course_instance(institution):
    return CourseInstanceFactory(
        course__institution=institution,
        start_date=clock.today() + datetime.timedelta(days=30),
        end_date=clock.today() + datetime.timedelta(days=150),
    )


@pytest.fixture
def fee_period(course_instance):
    return FeePeriodFactory(course_instance=course_instance, amount=Decimal("45000.00"))


def liable_student(institution, instance, *, liable=True, state=ParticipationState.ADMITTED):
    person = PersonFactory()
    CourseParticipationFactory(person=person, course_instance=instance, state=state)
    FeeLiabilityFactory(
        institution=institution,
        person=person,
        liable=liable,
        ground="" if liable else "eu_eea",
    )
    return person


@pytest.fixture
def invoice(institution, fee_admin, fee_period, course_instance):
    person = liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    return person.invoices.get()
