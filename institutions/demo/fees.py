"""Tuition fees in the demo (#15): `feestudent`, an international student on a fee-paying
master's programme at Lund with an invoice per term (one paid with a refund of what was paid too
much, one partly paid with a scholarship, one sent and due, one not yet sent), admitted to a
stand-alone course whose fee period has no invoice yet (she cannot register until it is paid);
`feeexempt`, an exchange student on the same course, exempt, without invoices; `feeadmin`, the
fee administrator at Lund.

The bank file `institutions/demo/data/camt054-lund.xml` holds what the bank would report after
`feeadmin` creates and sends the course's invoice (the next invoice number, see INVOICE_FOR_FILE):
a payment matching it, one with a mistyped reference (unmatched), the same payment repeated
(a duplicate) and the rest of the scholarship invoice.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from catalog.models import (
    Course,
    CourseInstance,
    CourseInstancePeriod,
    GradingScale,
    Module,
    Programme,
    ProgrammeInstance,
)
from fees.models import FeeLiability, Invoice
from fees.services import admin, invoicing, ledger
from institutions.demo.catalogue import Catalogue
from institutions.demo.persons import create_login, grant, new_person
from institutions.demo.terms import Calendar
from people.models import StaffRoleKind, User
from registration.models import CourseParticipation, ParticipationEvent, ProgrammeParticipation

BANK_FILE = Path(__file__).resolve().parent / "data" / "camt054-lund.xml"
# The invoice the journey creates: the seed makes invoices 1-4, so the course's is number 5.
INVOICE_FOR_FILE = 5
TERM_FEE = Decimal("45000.00")
COURSE_FEE = Decimal("11250.00")


def create_fee_records(lu: Catalogue, calendar: Calendar, today: datetime.date) -> User:
    """Everything above; returns the fee administrator."""
    institution = lu.institution
    feeadmin = create_login("feeadmin", "Farida", "Lind")
    grant(feeadmin, StaffRoleKind.FEE_ADMIN, institution)
    student = new_person(
        "Aiyana",
        "Okafor",
        datetime.date(1999, 4, 12),
        None,
        None,
        local_number="F001",
        language="en",
        email="feestudent@example.com",
    )
    student.save()
    create_login("feestudent", "Aiyana", "Okafor", student)
    exempt = new_person(
        "Lukas",
        "Weber",
        datetime.date(2001, 9, 3),
        None,
        None,
        local_number="F002",
        language="en",
        email="feeexempt@example.com",
    )
    exempt.save()
    create_login("feeexempt", "Lukas", "Weber", exempt)
    admin.decide_liability(
        feeadmin,
        institution=institution,
        person=student,
        liable=True,
        note="Citizen of a country outside the EU/EEA",
    )
    admin.decide_liability(
        feeadmin,
        institution=institution,
        person=exempt,
        liable=False,
        ground="exchange",
        note="Exchange agreement",
    )
    _programme_invoices(lu, calendar, today, feeadmin, student)
    _course_awaiting_invoice(lu, calendar, today, feeadmin, [student, exempt])
    return feeadmin


def _programme_invoices(lu, calendar, today, feeadmin, student) -> None:
    institution = lu.institution
    terms = calendar.all
    programme = Programme.objects.create(
        institution=institution,
        code="TASEM",
        kind="programme",
        credits=Decimal("120.0"),
        name_sv="Masterprogram i hållbar energi",
        name_en="Master's Programme in Sustainable Energy",
    )
    instance = ProgrammeInstance.objects.create(
        institution=institution,
        programme=programme,
        instance_code=f"{lu.code_base + 9801}",
        start_date=terms[0].start,
        end_date=terms[-1].end,
        town=lu.town,
    )
    place = ProgrammeParticipation.objects.create(
        institution=institution, person=student, programme_instance=instance, state="registered"
    )
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            institution=institution, programme_participation=place, from_state=a, to_state=b
        )
        for a, b in (("", "admitted"), ("admitted", "registered"))
    )
    invoices = []
    for number, term in enumerate(terms):
        first_due = term.start - datetime.timedelta(days=20)
        if term == calendar.current:
            first_due = today + datetime.timedelta(days=10)
        period = admin.save_period(
            feeadmin,
            institution=institution,
            instance=instance,
            study_period=lu.study_periods[term.code],
            credits=Decimal("30.0"),
            amount=TERM_FEE,
            instalments=1 if number == 0 else 2,
            first_due_date=first_due,
        )
        invoicing.create_invoices(feeadmin, period=period)
        if term != calendar.next:
            invoicing.send_invoices(feeadmin, period=period)
        invoices.append(Invoice.objects.get(fee_period=period, person=student))
    paid, partly = invoices[0], invoices[1]
    day = min(today, terms[0].start)
    ledger.record_payment(feeadmin, invoice=paid, amount=Decimal("45500.00"), on_date=day)
    ledger.record_refund(
        feeadmin,
        invoice=paid,
        amount=Decimal("500.00"),
        on_date=day + datetime.timedelta(days=14),
        reason="Paid 500 kronor too much",
    )
    day = min(today, terms[1].start)
    ledger.record_scholarship(
        feeadmin,
        invoice=partly,
        amount=Decimal("22500.00"),
        on_date=day,
        scholarship="Lund University Global Scholarship",
    )
    ledger.record_payment(feeadmin, invoice=partly, amount=Decimal("10000.00"), on_date=day)


def _course_awaiting_invoice(lu, calendar, today, feeadmin, students) -> None:
    """A stand-alone course this term with registration open now and a fee period not yet
    invoiced: `feestudent` registers once `feeadmin` has invoiced it and the bank has paid."""
    institution = lu.institution
    term = calendar.current
    course = Course.objects.create(
        institution=institution,
        code="SVEA11",
        credits=Decimal("7.5"),
        grading_scale=GradingScale.objects.order_by("pk").first(),
        level="first",
        name_sv="Svenska för internationella studenter",
        name_en="Swedish for International Students",
    )
    Module.objects.create(
        institution=institution,
        course=course,
        code="0001",
        credits=course.credits,
        grading_scale=course.grading_scale,
        name_sv="Svenska",
        name_en="Swedish",
    )
    start = max(term.start, today - datetime.timedelta(days=3))
    # A course starting in January belongs to the spring term, though the autumn term runs on.
    term = calendar.term_of(start)
    instance = CourseInstance.objects.create(
        institution=institution,
        course=course,
        instance_code=f"{lu.code_base + 9811}",
        start_date=start,
        end_date=max(term.end, start + datetime.timedelta(days=30)),
        pace=25,
        town=lu.town,
        teaching_language="en",
    )
    CourseInstancePeriod.objects.create(
        institution=institution,
        course_instance=instance,
        study_period=lu.study_periods[term.code],
        sequence=1,
        credits=course.credits,
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=20),
    )
    for person in students:
        place = CourseParticipation.objects.create(
            institution=institution, person=person, course_instance=instance, state="admitted"
        )
        ParticipationEvent.objects.create(
            institution=institution, course_participation=place, from_state="", to_state="admitted"
        )
    admin.save_period(
        feeadmin,
        institution=institution,
        instance=instance,
        study_period=lu.study_periods[term.code],
        credits=course.credits,
        amount=COURSE_FEE,
        instalments=1,
        first_due_date=today + datetime.timedelta(days=14),
    )


__all__ = ["BANK_FILE", "FeeLiability", "create_fee_records"]
