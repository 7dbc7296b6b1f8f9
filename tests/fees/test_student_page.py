"""The student's tuition fee page (S-FEE-1..4): grouped invoices with their status and details,
the message for a student without invoices, the local text, fixed query counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from fees.services import invoicing, ledger
from institutions.models import LocalTextSlot
from ladokportal import clock
from tests.factories import (
    CourseInstanceFactory,
    CourseParticipationFactory,
    LocalTextFactory,
    UserFactory,
)
from tests.factories.fees import FeePeriodFactory
from tests.fees.conftest import liable_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_invoices(institution, fee_admin, person, count):
    """`count` invoices on as many courses: the first settled, the second sent, the others
    not sent."""
    invoices = []
    for n in range(count):
        instance = CourseInstanceFactory(course__institution=institution)
        CourseParticipationFactory(person=person, course_instance=instance)
        period = FeePeriodFactory(course_instance=instance, amount=Decimal("30000.00"))
        invoicing.create_invoices(fee_admin, period=period)
        if n < 2:
            invoicing.send_invoices(fee_admin, period=period)
        invoice = person.invoices.get(fee_period=period)
        if n == 0:
            ledger.record_payment(
                fee_admin, invoice=invoice, amount=Decimal("30500.00"), on_date=clock.today()
            )
        invoices.append(invoice)
    return invoices


@pytest.fixture
def fee_student(institution, course_instance):
    person = liable_student(institution, course_instance)
    return UserFactory(username="fatima", person=person)


def test_invoices_are_grouped_with_their_status(institution, fee_admin, fee_student, client_for):
    invoices = make_invoices(institution, fee_admin, fee_student.person, 3)
    response = client_for(fee_student).get("/fees/")
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [[r.invoice.pk for r in g.rows] for g in groups] == [[i.pk] for i in invoices]
    page = response.content.decode()
    assert [g.rows[0].invoice.state_label for g in groups] == [
        "Settled",
        "Available",
        "Not available",
    ]
    assert "Overpaid SEK\u00a0500.00" in page
    assert invoices[1].ocr in page
    assert invoices[2].ocr not in page  # not sent: no reference to pay with yet
    assert page.count('<details class="exam-card__details"') == 3


def test_student_without_invoices_is_told_so(institution, client_for, course_instance):
    exempt = liable_student(institution, course_instance, liable=False)
    response = client_for(UserFactory(person=exempt)).get("/fees/")
    assert response.context["groups"] == []
    assert "You have no tuition fee invoices at this university." in response.content.decode()


def test_local_text_is_shown(institution, fee_student, client_for):
    LocalTextFactory(
        institution=institution, slot=LocalTextSlot.FEES, body_en="<p>Pay by bank giro.</p>"
    )
    assert "Pay by bank giro." in client_for(fee_student).get("/fees/").content.decode()


def test_another_students_invoices_are_not_shown(
    institution, fee_admin, fee_student, client_for, course_instance
):
    other = liable_student(institution, course_instance)
    make_invoices(institution, fee_admin, other, 1)
    assert client_for(fee_student).get("/fees/").context["groups"] == []


def test_nobody_is_sent_to_log_in(client):
    response = client.get("/fees/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("count", [1, 3])
def test_fee_page_costs_the_same_for_one_or_three_invoices(
    count, institution, fee_admin, fee_student, client_for, django_assert_num_queries
):
    make_invoices(institution, fee_admin, fee_student.person, count)
    client = client_for(fee_student)
    client.get("/fees/")
    with django_assert_num_queries(8):
        client.get("/fees/")


def test_due_date_shown_is_the_next_unpaid_instalment(
    institution, fee_admin, fee_student, client_for
):
    (invoice,) = make_invoices(institution, fee_admin, fee_student.person, 2)[1:]
    row = client_for(fee_student).get("/fees/").context["groups"][1].rows[0]
    assert row.due_date == invoice.instalment_rows.get().due_date
    assert row.due_date > clock.today() - datetime.timedelta(days=1)
