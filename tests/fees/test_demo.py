"""The fee demo (#15 build point 6): what `seed_demo` gives `feestudent`, `feeexempt` and
`feeadmin`, and the demo camt.054 file doing what the README says after the course's invoice is
created and sent: one payment settles it, one pays the rest of the scholarship invoice, one with
a mistyped reference waits for handling, the repeated one is left out; then she registers."""

import pytest

from fees.models import BankPaymentState, FeePeriod, Invoice, InvoiceState
from fees.services import bank, invoicing
from institutions.demo.catalogue import Catalogue
from institutions.demo.fees import BANK_FILE, INVOICE_FOR_FILE, create_fee_records
from institutions.demo.terms import calendar_around
from ladokportal import clock
from people.models import User
from registration import services as registration
from tests.factories import StudyPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(institution):
    today = clock.today()
    calendar = calendar_around(today)
    catalogue = Catalogue(institution=institution, town="Lund", code_base=10000)
    for term in calendar.all:
        catalogue.study_periods[term.code] = StudyPeriodFactory(
            institution=institution, code=term.code, start_date=term.start, end_date=term.end
        )
    feeadmin = create_fee_records(catalogue, calendar, today)
    return feeadmin


def test_feestudent_has_an_invoice_in_every_state(seeded):
    student = User.objects.get(username="feestudent").person
    invoices = list(Invoice.objects.filter(person=student).order_by("number"))
    assert [i.state for i in invoices] == [
        InvoiceState.SETTLED,
        InvoiceState.SENT,
        InvoiceState.SENT,
        InvoiceState.NOT_SENT,
    ]
    assert invoices[0].refunded > 0
    assert invoices[1].scholarships > 0
    assert 0 < invoices[1].remaining < invoices[1].amount
    assert not Invoice.objects.filter(person__user__username="feeexempt").exists()


def test_the_demo_bank_file_after_the_course_invoice_is_sent(seeded, institution):
    feeadmin = seeded
    course_period = FeePeriod.objects.get(course_instance__course__code="SVEA11")
    assert invoicing.create_invoices(feeadmin, period=course_period) == 1
    invoicing.send_invoices(feeadmin, period=course_period)
    invoice = Invoice.objects.get(fee_period=course_period)
    assert invoice.number == INVOICE_FOR_FILE

    student_user = User.objects.get(username="feestudent")
    course = student_user.person.course_participations.get()
    with pytest.raises(Exception, match="reference number"):
        registration.register(
            student_user, participation=course, period=course.course_instance.periods.get()
        )

    bank_file = bank.upload(
        feeadmin, institution=institution, name=BANK_FILE.name, data=BANK_FILE.read_bytes()
    )
    result = bank.book(feeadmin, bank_file=bank_file)
    assert [r.outcome for r in result.rows] == ["book", "book", "unmatched", "duplicate"]
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.SETTLED
    assert Invoice.objects.get(person=student_user.person, number=2).state == "settled"
    assert bank_file.payments.filter(state=BankPaymentState.UNMATCHED).count() == 1
    assert registration.register(
        student_user, participation=course, period=course.course_instance.periods.get()
    )
