"""Reads of the fee administrator's pages (#15 build point 3), each a fixed number of queries,
always within the current university (its scope) and looked up by public id."""

from django.db.models import Count, Q, QuerySet

from fees.models import (
    NEEDS_HANDLING,
    BankFile,
    BankPayment,
    FeeEvent,
    FeeLiability,
    FeePeriod,
    Invoice,
    InvoiceState,
)
from institutions.models import Institution
from people.models import Person

_PERIOD_RELATED = (
    "study_period",
    "course_instance__course",
    "programme_instance__programme",
)


def periods(institution: Institution) -> QuerySet[FeePeriod]:
    """Every fee period with how many of its invoices are in each state (one query)."""
    return (
        FeePeriod.objects.filter(institution=institution)
        .select_related(*_PERIOD_RELATED)
        .annotate(
            not_sent=Count("invoices", filter=Q(invoices__state=InvoiceState.NOT_SENT)),
            sent=Count("invoices", filter=Q(invoices__state=InvoiceState.SENT)),
            settled=Count("invoices", filter=Q(invoices__state=InvoiceState.SETTLED)),
        )
        .order_by("-study_period__start_date", "pk")
    )


def period(institution: Institution, public_id) -> FeePeriod | None:
    return (
        FeePeriod.objects.filter(institution=institution, public_id=public_id)
        .select_related(*_PERIOD_RELATED)
        .first()
    )


def period_invoices(fee_period: FeePeriod) -> QuerySet[Invoice]:
    return fee_period.invoices.select_related("person").order_by("number")


def invoice(institution: Institution, public_id) -> Invoice | None:
    return (
        Invoice.objects.filter(institution=institution, public_id=public_id)
        .select_related("person", *(f"fee_period__{r}" for r in _PERIOD_RELATED))
        .prefetch_related("instalment_rows", "entries__created_by")
        .first()
    )


def invoice_by_ocr(institution: Institution, reference: str) -> Invoice | None:
    return Invoice.objects.filter(institution=institution, ocr=reference).first()


def invoice_history(invoice: Invoice) -> QuerySet[FeeEvent]:
    return invoice.events.select_related("actor").order_by("-at", "-pk")


def liabilities(institution: Institution) -> QuerySet[FeeLiability]:
    return (
        FeeLiability.objects.filter(institution=institution)
        .select_related("person", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def person_by_identity_number(canonical: str) -> Person | None:
    """A person by personal identity number (the twelve digits people.identity makes)."""
    return Person.objects.filter(identity_number=canonical).first()


def bank_files(institution: Institution) -> QuerySet[BankFile]:
    return (
        BankFile.objects.filter(institution=institution)
        .select_related("uploaded_by", "booked_by")
        .defer("content")
        .annotate(payment_count=Count("payments"))
    )


def bank_file(institution: Institution, public_id) -> BankFile | None:
    return BankFile.objects.filter(institution=institution, public_id=public_id).first()


def inbox(institution: Institution, *, handled: bool = False) -> QuerySet[BankPayment]:
    """B-7: payments waiting for a fee administrator (unmatched, overpaid), or those handled."""
    rows = BankPayment.objects.filter(institution=institution)
    rows = rows.filter(state="handled") if handled else rows.filter(state__in=NEEDS_HANDLING)
    return rows.select_related("invoice__person", "bank_file", "handled_by").order_by(
        "booking_date", "pk"
    )


def bank_payment(institution: Institution, public_id) -> BankPayment | None:
    return (
        BankPayment.objects.filter(institution=institution, public_id=public_id)
        .select_related("invoice__person", "bank_file")
        .first()
    )
