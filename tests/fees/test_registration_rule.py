"""#15 build point 2 (B-1): a fee-liable student cannot register on a fee period whose first
instalment is unpaid; the course page and the start page say what to pay and by when, from the
same eligibility verdict the service applies."""

from decimal import Decimal

import pytest
from django.utils import translation

from fees.models import Invoice
from fees.services import invoicing, ledger
from ladokportal import clock
from ladokportal.errors import DomainError
from registration import services as registration
from tests.factories import (
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    StaffRoleFactory,
    UserFactory,
    participation_with_periods,
)
from tests.factories.fees import FeeLiabilityFactory, FeePeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def me(institution):
    user = UserFactory(username="farah")
    user.person = participation_with_periods(
        PersonFactory(), institution, windows=((-5, 5),)
    ).person
    user.save()
    return user


def my_course(user):
    return user.person.course_participations.get()


def fee_on(course, *, amount="45000.00", instalments=2):
    period = course.course_instance.periods.get()
    return FeePeriodFactory(
        course_instance=course.course_instance,
        study_period=period.study_period,
        amount=Decimal(amount),
        instalments=instalments,
    )


def register(user):
    course = my_course(user)
    return registration.register(
        user, participation=course, period=course.course_instance.periods.get()
    )


def liable(user, institution):
    FeeLiabilityFactory(institution=institution, person=user.person)


def test_unpaid_first_instalment_refuses_registration_with_what_to_pay(me, institution, fee_admin):
    liable(me, institution)
    period = fee_on(my_course(me))
    invoicing.create_invoices(fee_admin, period=period)
    invoicing.send_invoices(fee_admin, period=period)
    invoice = Invoice.objects.get()
    with pytest.raises(DomainError) as refused:
        register(me)
    assert str(refused.value) == (
        "Pay the first instalment of your tuition fee, SEK\u00a022,500.00, by "
        f"{period.first_due_date.isoformat()} (reference number {invoice.ocr}). "
        "You can register when it is paid."
    )
    ledger.record_payment(
        fee_admin, invoice=invoice, amount=Decimal("22000.00"), on_date=clock.today()
    )
    with pytest.raises(DomainError) as still:
        register(me)
    assert "SEK\u00a0500.00," in str(still.value)
    ledger.record_scholarship(
        fee_admin, invoice=invoice, amount=Decimal("500.00"), on_date=clock.today(), scholarship="S"
    )
    assert register(me).participation_id == my_course(me).pk


def test_not_yet_invoiced_fee_refuses_registration(me, institution):
    liable(me, institution)
    fee_on(my_course(me))
    with pytest.raises(DomainError) as refused:
        register(me)
    assert str(refused.value).startswith("You pay a tuition fee for this term.")


def test_exempt_student_registers_without_paying(me, institution, fee_admin):
    FeeLiabilityFactory(institution=institution, person=me.person, liable=False, ground="eu_eea")
    fee_on(my_course(me))
    assert register(me)


def test_a_programme_fee_period_holds_the_programme_courses(me, institution, fee_admin):
    liable(me, institution)
    course = my_course(me)
    programme = ProgrammeInstanceFactory(programme__institution=institution)
    course.programme_participation = ProgrammeParticipationFactory(
        person=me.person, programme_instance=programme
    )
    course.save()
    FeePeriodFactory(
        course_instance=None,
        programme_instance=programme,
        institution=institution,
        study_period=course.course_instance.periods.get().study_period,
    )
    with pytest.raises(DomainError):
        register(me)


def test_study_administrator_registers_on_the_students_behalf(me, institution):
    liable(me, institution)
    fee_on(my_course(me))
    admin = UserFactory()
    StaffRoleFactory(user=admin, institution=institution, role="study_admin")
    course = my_course(me)
    assert registration.register_on_behalf(
        admin, participation=course, period=course.course_instance.periods.get()
    )


def test_course_page_and_start_page_explain_the_fee(me, institution, fee_admin, client_for):
    liable(me, institution)
    period = fee_on(my_course(me))
    invoicing.create_invoices(fee_admin, period=period)
    invoicing.send_invoices(fee_admin, period=period)
    reference = Invoice.objects.get().ocr
    client = client_for(me)
    course_page = client.get(f"/courses/{my_course(me).public_id}/").content.decode()
    start = client.get("/start/")
    assert f"(reference number {reference})" in course_page
    assert 'name="period"' not in course_page
    assert start.context["registrations_open"] == []
    assert f"(reference number {reference})" in start.content.decode()
    assert 'href="/fees/"' in start.content.decode()
