"""Reads of the fee records for the pages and for the registration rule, each a fixed number of
queries whatever the number of invoices."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from fees.models import (
    ZERO,
    EntryKind,
    FeeLiability,
    FeePeriod,
    Instalment,
    Invoice,
    InvoiceEntry,
    InvoiceState,
)
from people.models import Person

MONEY = DecimalField(max_digits=12, decimal_places=2)
CENT = Decimal("0.01")


# --- The registration rule (#15 build point 2, B-1) ---------------------------------------------


@dataclass(frozen=True)
class FeeHold:
    """A fee-liable student's fee period whose first instalment is not paid: what stands
    between the student and registering on that term, and what to pay by when."""

    invoiced: bool
    sent: bool
    amount_due: Decimal
    due_date: datetime.date | None
    reference: str

    @property
    def blocks(self) -> bool:
        return not self.invoiced or self.amount_due > 0


def _invoice_of_person(person_id) -> QuerySet[Invoice]:
    return Invoice.objects.filter(person_id=person_id, fee_period=OuterRef("pk"))


def _holds(person_id: int, periods: QuerySet[FeePeriod]) -> dict[tuple, FeeHold]:
    invoice = _invoice_of_person(person_id)
    first = Instalment.objects.filter(
        invoice__person_id=person_id, invoice__fee_period=OuterRef("pk")
    )
    rows = (
        periods.filter(
            Exists(
                FeeLiability.objects.filter(
                    person_id=person_id, institution=OuterRef("institution"), liable=True
                )
            )
        )
        .annotate(
            invoice_ocr=Subquery(invoice.values("ocr")[:1]),
            invoice_sent=Subquery(invoice.values("sent_at")[:1]),
            credited=Subquery(
                invoice.annotate(c=F("paid") + F("scholarships") - F("refunded")).values("c")[:1],
                output_field=MONEY,
            ),
            first_amount=Subquery(first.filter(sequence=1).values("amount")[:1]),
            first_due=Subquery(first.filter(sequence=1).values("due_date")[:1]),
        )
        .values(
            "course_instance_id",
            "programme_instance_id",
            "study_period_id",
            "invoice_ocr",
            "invoice_sent",
            "credited",
            "first_amount",
            "first_due",
        )
    )
    holds = {}
    for row in rows:
        invoiced = row["invoice_ocr"] is not None
        # SQLite hands sums of decimals back as floats: back to öre.
        credited = Decimal(str(row["credited"] or ZERO)).quantize(CENT)
        due = max(Decimal(str(row["first_amount"] or ZERO)) - credited, ZERO).quantize(CENT)
        hold = FeeHold(
            invoiced=invoiced,
            sent=row["invoice_sent"] is not None,
            amount_due=due,
            due_date=row["first_due"],
            reference=row["invoice_ocr"] or "",
        )
        if not hold.blocks:
            continue
        if row["course_instance_id"]:
            key = ("course", row["course_instance_id"], row["study_period_id"])
        else:
            key = ("programme", row["programme_instance_id"], row["study_period_id"])
        holds[key] = hold
    return holds


def is_fee_liable(person_ref: str = "person_id", institution_ref: str = "institution_id") -> Exists:
    """For annotating rows of a person at a university: whether the person is fee-liable there
    (no query of its own)."""
    return Exists(
        FeeLiability.objects.filter(
            person_id=OuterRef(person_ref), institution_id=OuterRef(institution_ref), liable=True
        )
    )


def registration_holds(
    person_id: int,
    *,
    course_instance_ids: Iterable[int],
    programme_instance_ids: Iterable[int],
) -> dict[tuple, FeeHold]:
    """The person's unpaid fee periods on these instances, keyed ("course" | "programme",
    instance id, study period id). One query; none are found for a student who is not
    fee-liable."""
    periods = FeePeriod.objects.filter(
        Q(course_instance_id__in=list(course_instance_ids))
        | Q(programme_instance_id__in=list(programme_instance_ids))
    )
    return _holds(person_id, periods)


def hold_for(
    holds: dict[tuple, FeeHold],
    *,
    course_instance_id: int,
    programme_instance_id: int | None,
    study_period_id: int,
) -> FeeHold | None:
    """The hold on registering for one study period of a course instance: the course's own
    fee period, else that of the programme the course belongs to."""
    found = holds.get(("course", course_instance_id, study_period_id))
    if found is None and programme_instance_id is not None:
        found = holds.get(("programme", programme_instance_id, study_period_id))
    return found


# --- The student's page (S-FEE-1..4) ------------------------------------------------------------


@dataclass(frozen=True)
class InstalmentRow:
    instalment: Instalment
    paid: bool
    # What is left of this instalment after what the invoice has received.
    left: Decimal


@dataclass
class InvoiceRow:
    invoice: Invoice
    instalments: list[InstalmentRow]
    payments: list[InvoiceEntry]
    scholarships: list[InvoiceEntry]
    refunds: list[InvoiceEntry]

    @property
    def period(self) -> FeePeriod:
        return self.invoice.fee_period

    @property
    def is_sent(self) -> bool:
        return self.invoice.state != InvoiceState.NOT_SENT

    @property
    def next_due(self) -> InstalmentRow | None:
        return next((row for row in self.instalments if not row.paid), None)

    @property
    def due_date(self) -> datetime.date | None:
        row = self.next_due or (self.instalments[-1] if self.instalments else None)
        return row.instalment.due_date if row else None


@dataclass
class Group:
    """The invoices of one course or programme instance (S-FEE-1)."""

    fee_period: FeePeriod
    rows: list[InvoiceRow] = field(default_factory=list)

    @property
    def education(self):
        return self.fee_period.education

    @property
    def instance(self):
        return self.fee_period.instance


def instalment_rows(invoice: Invoice, instalments: list[Instalment]) -> list[InstalmentRow]:
    """Instalments are paid in order from what the invoice has received."""
    left_over = invoice.credited
    rows = []
    for instalment in instalments:
        covered = min(max(left_over, ZERO), instalment.amount)
        left_over -= instalment.amount
        rows.append(
            InstalmentRow(instalment, covered >= instalment.amount, instalment.amount - covered)
        )
    return rows


def student_invoices(person: Person) -> list[Group]:
    """The person's invoices at the current university grouped by course or programme
    instance, oldest term first (three queries)."""
    invoices = (
        Invoice.objects.filter(person=person)
        .select_related(
            "fee_period__study_period",
            "fee_period__course_instance__course",
            "fee_period__programme_instance__programme",
        )
        .prefetch_related(
            Prefetch("instalment_rows", queryset=Instalment.objects.order_by("sequence")),
            Prefetch("entries", queryset=InvoiceEntry.objects.order_by("on_date", "pk")),
        )
        .order_by("fee_period__study_period__start_date", "number")
    )
    groups: dict[tuple, Group] = {}
    for invoice in invoices:
        period = invoice.fee_period
        key = (period.course_instance_id, period.programme_instance_id)
        group = groups.setdefault(key, Group(period))
        entries = list(invoice.entries.all())
        group.rows.append(
            InvoiceRow(
                invoice=invoice,
                instalments=instalment_rows(invoice, list(invoice.instalment_rows.all())),
                payments=[e for e in entries if e.kind == EntryKind.PAYMENT],
                scholarships=[e for e in entries if e.kind == EntryKind.SCHOLARSHIP],
                refunds=[e for e in entries if e.kind == EntryKind.REFUND],
            )
        )
    return list(groups.values())


def own_invoice(person: Person, public_id) -> Invoice | None:
    """One of the person's invoices by its public id (another person's is not there)."""
    return (
        Invoice.objects.filter(person=person, public_id=public_id)
        .select_related(
            "fee_period__study_period",
            "fee_period__course_instance__course",
            "fee_period__programme_instance__programme",
            "institution",
        )
        .first()
    )
