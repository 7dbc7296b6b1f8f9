"""Money on invoices (S-FEE-3): payments, scholarships and refunds. Each entry is a row of
InvoiceEntry; the invoice's sums are recomputed by the database from its entries in the same
transaction (`refresh_sums`), and what remains, paid in full and the state follow from them as
generated columns. A refund above what was paid is refused here and by a check constraint.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fees.errors import FeeError
from fees.models import (
    ZERO,
    BankPayment,
    EntryKind,
    FeeEventKind,
    Invoice,
    InvoiceEntry,
    PaymentSource,
)
from fees.services.common import event, lock_invoices, require_fee_admin
from ladokportal import clock
from people.models import User

CENT = Decimal("0.01")


def _sum_of(kind: str) -> Coalesce:
    total = (
        InvoiceEntry.objects.filter(invoice=OuterRef("pk"), kind=kind)
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(ZERO), output_field=money)


def refresh_sums(invoice_ids: Iterable[int]) -> None:
    """One UPDATE: each invoice's sums become the sums of its entries."""
    Invoice.objects.filter(pk__in=list(invoice_ids)).update(
        paid=_sum_of(EntryKind.PAYMENT),
        scholarships=_sum_of(EntryKind.SCHOLARSHIP),
        refunded=_sum_of(EntryKind.REFUND),
    )


def _amount(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or value <= 0 or value != value.quantize(CENT):
        raise FeeError(_("Enter a positive amount in kronor, at most two decimals."))
    return value


def _on_date(value: datetime.date) -> datetime.date:
    if value > clock.today():
        raise FeeError(_("The date cannot be in the future."))
    return value


def entry(
    actor: User,
    invoice: Invoice,
    *,
    kind: str,
    amount: Decimal,
    on_date: datetime.date,
    source: str = "",
    description: str = "",
    bank_payment: BankPayment | None = None,
) -> InvoiceEntry:
    """An entry on a locked invoice with its history row (no refresh: the caller refreshes
    once for all it booked)."""
    row = InvoiceEntry.objects.create(
        institution_id=invoice.institution_id,
        invoice=invoice,
        kind=kind,
        amount=amount,
        on_date=on_date,
        source=source,
        description=description,
        bank_payment=bank_payment,
        created_at=timezone.now(),
        created_by=actor,
    )
    event(
        {
            EntryKind.PAYMENT: FeeEventKind.PAYMENT,
            EntryKind.SCHOLARSHIP: FeeEventKind.SCHOLARSHIP,
            EntryKind.REFUND: FeeEventKind.REFUND,
        }[kind],
        institution_id=invoice.institution_id,
        actor=actor,
        invoice=invoice,
        amount=amount,
        detail=description or (bank_payment.bank_reference if bank_payment else source),
    ).save()
    return row


def _one(actor: User, invoice: Invoice, **fields) -> Invoice:
    require_fee_admin(actor, invoice.institution_id)
    with transaction.atomic():
        (locked,) = lock_invoices([invoice.pk])
        if fields["kind"] == EntryKind.REFUND and fields["amount"] > locked.paid - locked.refunded:
            raise FeeError(
                _("A refund cannot exceed what was paid: at most %(max)s kronor can be refunded.")
                % {"max": locked.paid - locked.refunded}
            )
        entry(actor, locked, **fields)
        refresh_sums([locked.pk])
    locked.refresh_from_db()
    return locked


def record_payment(
    actor: User, *, invoice: Invoice, amount: Decimal, on_date: datetime.date
) -> Invoice:
    """A payment a fee administrator enters by hand (e.g. one the bank file could not match)."""
    return _one(
        actor,
        invoice,
        kind=EntryKind.PAYMENT,
        amount=_amount(amount),
        on_date=_on_date(on_date),
        source=PaymentSource.MANUAL,
    )


def record_scholarship(
    actor: User, *, invoice: Invoice, amount: Decimal, on_date: datetime.date, scholarship: str
) -> Invoice:
    """A scholarship that pays (part of) the fee, with the scholarship's name."""
    if not scholarship.strip():
        raise FeeError(_("Name the scholarship."))
    return _one(
        actor,
        invoice,
        kind=EntryKind.SCHOLARSHIP,
        amount=_amount(amount),
        on_date=_on_date(on_date),
        description=scholarship.strip(),
    )


def record_refund(
    actor: User, *, invoice: Invoice, amount: Decimal, on_date: datetime.date, reason: str
) -> Invoice:
    """Money paid back to the student, never more than was paid, with the reason."""
    if not reason.strip():
        raise FeeError(_("Give the reason for the refund."))
    return _one(
        actor,
        invoice,
        kind=EntryKind.REFUND,
        amount=_amount(amount),
        on_date=_on_date(on_date),
        description=reason.strip(),
    )
