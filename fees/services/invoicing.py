"""Invoices of a fee period (#15 build point 3): who gets what (the preview), creating them all
in one act, sending them (an e-mail to each student in their language, B-2) and the reminder
before the due date, sent by the worker.

Creating 5,000 invoices costs the same few statements as creating 5 (bulk inserts); see
docs/performance.md.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from fees import ocr
from fees.models import (
    FeeEvent,
    FeeEventKind,
    FeeLiability,
    FeePeriod,
    Instalment,
    Invoice,
    InvoiceState,
)
from fees.services.common import event, require_fee_admin
from institutions.models import Institution
from people.models import Person, User

# A place on the instance that is invoiced: admitted, expected or registered.
HOLDING = ("admitted", "expected", "registered")
REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class Planned:
    person: Person
    amount: Decimal
    instalments: tuple[tuple[Decimal, datetime.date], ...]


def split(period: FeePeriod) -> tuple[tuple[Decimal, datetime.date], ...]:
    """The period's amount in equal instalments (the last takes the öre left over), each due
    `interval_days` after the one before."""
    count = period.instalments
    part = (period.amount / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    amounts = [part] * (count - 1) + [period.amount - part * (count - 1)]
    return tuple(
        (amount, period.first_due_date + datetime.timedelta(days=period.interval_days * i))
        for i, amount in enumerate(amounts)
    )


def invoiced_persons(period: FeePeriod) -> QuerySet[Person]:
    """Fee-liable students holding a place on the period's instance and not yet invoiced."""
    from registration.models import CourseParticipation, ProgrammeParticipation

    if period.course_instance_id:
        places = CourseParticipation.objects.filter(
            course_instance_id=period.course_instance_id, state__in=HOLDING
        )
    else:
        places = ProgrammeParticipation.objects.filter(
            programme_instance_id=period.programme_instance_id, state__in=HOLDING
        )
    return (
        Person.objects.filter(
            Exists(places.filter(person=OuterRef("pk"))),
            Exists(
                FeeLiability.objects.filter(
                    person=OuterRef("pk"), institution_id=period.institution_id, liable=True
                )
            ),
        )
        .exclude(Exists(Invoice.objects.filter(person=OuterRef("pk"), fee_period=period)))
        .order_by("last_name", "first_name", "pk")
    )


def preview(period: FeePeriod) -> list[Planned]:
    """Who would get an invoice now, for how much and in which instalments (one query)."""
    plan = split(period)
    return [Planned(person, period.amount, plan) for person in invoiced_persons(period)]


def create_invoices(actor: User, *, period: FeePeriod) -> int:
    """The invoices of everyone the preview lists, numbered with their OCR references, not yet
    sent. A second click creates nothing more (everyone has one)."""
    require_fee_admin(actor, period.institution_id)
    plan = split(period)
    now = timezone.now()
    with transaction.atomic():
        # Numbers (and so OCR references) are handed out one act at a time per university.
        Institution.objects.select_for_update().filter(pk=period.institution_id).first()
        persons = list(invoiced_persons(period).values_list("pk", flat=True))
        if not persons:
            return 0
        start = (
            Invoice.objects.filter(institution_id=period.institution_id).aggregate(
                top=Max("number")
            )["top"]
            or 0
        ) + 1
        invoices = Invoice.objects.bulk_create(
            [
                Invoice(
                    institution_id=period.institution_id,
                    fee_period=period,
                    person_id=person_id,
                    number=number,
                    ocr=ocr.for_invoice(number),
                    amount=period.amount,
                    created_at=now,
                    created_by=actor,
                )
                for number, person_id in enumerate(persons, start=start)
            ],
            batch_size=1000,
        )
        Instalment.objects.bulk_create(
            [
                Instalment(
                    institution_id=period.institution_id,
                    invoice=invoice,
                    sequence=sequence,
                    amount=amount,
                    due_date=due,
                )
                for invoice in invoices
                for sequence, (amount, due) in enumerate(plan, start=1)
            ],
            batch_size=1000,
        )
        FeeEvent.objects.bulk_create(
            [
                event(
                    FeeEventKind.INVOICE_CREATED,
                    institution_id=period.institution_id,
                    actor=actor,
                    invoice=invoice,
                    amount=invoice.amount,
                    detail=invoice.ocr,
                )
                for invoice in invoices
            ],
            batch_size=1000,
        )
    return len(invoices)


def _mail_context(invoice: Invoice, first_due: datetime.date) -> dict:
    education = invoice.fee_period.education
    return {
        "invoice": str(invoice.public_id),
        "reference": invoice.ocr,
        "amount": str(invoice.amount),
        "due_date": first_due.isoformat(),
        "name_sv": education.name_sv or education.name_en,
        "name_en": education.name_en or education.name_sv,
        "term": invoice.fee_period.study_period.code,
    }


def send_invoices(actor: User, *, period: FeePeriod) -> int:
    """The period's unsent invoices become available to their students, each of whom gets an
    e-mail in their language (B-2). Sending twice sends nothing more."""
    from notifications.services import notify_many

    require_fee_admin(actor, period.institution_id)
    now = timezone.now()
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(of=("self",))
            .filter(fee_period=period, sent_at__isnull=True)
            .select_related("person", "fee_period__study_period")
            .order_by("pk")
        )
        if not invoices:
            return 0
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(sent_at=now, sent_by=actor)
        first_due = split(period)[0][1]
        for invoice in invoices:
            invoice.fee_period = period
        FeeEvent.objects.bulk_create(
            [
                event(
                    FeeEventKind.INVOICE_SENT,
                    institution_id=period.institution_id,
                    actor=actor,
                    invoice=invoice,
                )
                for invoice in invoices
            ]
        )
        notify_many(
            [(invoice.person, _mail_context(invoice, first_due)) for invoice in invoices],
            "invoice_sent",
        )
    return len(invoices)


def remind_due(today: datetime.date) -> int:
    """Run by the worker each day: students whose sent, unpaid invoice has an instalment due
    within a week get one reminder e-mail (B-2). Across universities; each reminder once."""
    from notifications.services import notify_many

    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(state=InvoiceState.SENT, reminded_at__isnull=True)
            .filter(
                Exists(
                    Instalment.objects.filter(
                        invoice=OuterRef("pk"), due_date__gte=today, due_date__lte=soon
                    )
                )
            )
            .select_related("person", "fee_period__study_period")
            .select_related("fee_period__course_instance__course")
            .select_related("fee_period__programme_instance__programme")
            .prefetch_related("instalment_rows")
        )
        if not invoices:
            return 0
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(reminded_at=timezone.now())
        rows = []
        for invoice in invoices:
            due = min(
                (i.due_date for i in invoice.instalment_rows.all() if i.due_date >= today),
                default=today,
            )
            rows.append((invoice.person, _mail_context(invoice, due)))
        FeeEvent.objects.bulk_create(
            [
                event(
                    FeeEventKind.REMINDED,
                    institution_id=invoice.institution_id,
                    actor=None,
                    invoice=invoice,
                )
                for invoice in invoices
            ]
        )
        notify_many(rows, "invoice_reminder")
    return len(invoices)
