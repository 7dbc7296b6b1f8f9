"""Payments from the bank (#15 build point 3, B-7): a camt.054 file is uploaded (read and kept,
nothing booked), previewed (what each payment would become), then booked in one act. Payments
are matched to invoices by OCR reference; one whose reference has a wrong check digit or matches
no invoice, or whose currency is not kronor, is kept unmatched for a fee administrator; one
larger than what remains is booked and listed as overpaid, to be refunded or kept.

Nothing is booked twice: a file is stored once per university (its SHA-256), booking a file
locks it and a second booking finds it booked, and each payment is stored once by the bank's own
reference (a unique constraint), whatever file brings it again. Imports at one university are
booked one at a time (a row lock on the university), so two files repeating a payment, booked at
once, book it once.

Money is never lost: every payment of a booked file is a BankPayment row, booked on an invoice
or waiting in the inbox; a duplicate is one that already has its row.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from fees import camt, ocr
from fees.errors import FeeError
from fees.models import (
    ZERO,
    BankFile,
    BankFileState,
    BankPayment,
    BankPaymentState,
    EntryKind,
    FeeEventKind,
    Invoice,
    PaymentSource,
)
from fees.services import ledger
from fees.services.common import lock_invoices, record, require_fee_admin
from institutions.models import Institution
from ladokportal import clock
from people.models import User


class Outcome:
    BOOK = "book"
    OVERPAID = "overpaid"
    UNMATCHED = "unmatched"
    DUPLICATE = "duplicate"


OUTCOME_LABELS = {
    Outcome.BOOK: pgettext_lazy("bank payment outcome", "Booked on the invoice"),
    Outcome.OVERPAID: pgettext_lazy("bank payment outcome", "Booked, more than owed: to handle"),
    Outcome.UNMATCHED: pgettext_lazy("bank payment outcome", "Not matched: to handle"),
    Outcome.DUPLICATE: pgettext_lazy("bank payment outcome", "Already booked: left out"),
}


@dataclass(frozen=True)
class Row:
    payment: camt.CamtPayment
    outcome: str
    invoice: Invoice | None
    problem: str = ""

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass(frozen=True)
class Preview:
    bank_file: BankFile
    rows: tuple[Row, ...]

    def total(self, *outcomes: str) -> Decimal:
        return sum((r.payment.amount for r in self.rows if r.outcome in outcomes), ZERO)

    @property
    def money_in(self) -> Decimal:
        return self.total(Outcome.BOOK, Outcome.OVERPAID, Outcome.UNMATCHED, Outcome.DUPLICATE)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def upload(actor: User, *, institution: Institution, name: str, data: bytes) -> BankFile:
    """The file read and kept for its preview. A malformed or foreign file is refused whole and
    nothing is stored; the same file again finds the row it made the first time."""
    require_fee_admin(actor, institution.pk)
    notification = camt.parse(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        bank_file, _created = BankFile.objects.get_or_create(
            institution=institution,
            sha256=digest,
            defaults={
                "name": name[:200],
                "content": data.decode("utf-8", errors="replace"),
                "message_id": notification.message_id[:100],
                "uploaded_at": timezone.now(),
                "uploaded_by": actor,
            },
        )
    return bank_file


def _problem(payment: camt.CamtPayment, invoices: dict[str, Invoice]) -> str:
    if payment.currency != "SEK":
        return _("The payment is in %(currency)s, not in kronor.") % {"currency": payment.currency}
    if not payment.reference:
        return _("The payment has no reference number.")
    if not ocr.is_valid(payment.reference):
        return _("The reference number %(ref)s has a wrong check digit.") % {
            "ref": payment.reference
        }
    if payment.reference not in invoices:
        return _("No invoice has the reference number %(ref)s.") % {"ref": payment.reference}
    return ""


def _rows(bank_file: BankFile) -> tuple[Row, ...]:
    """What each payment of the file becomes if booked now (three queries)."""
    notification = camt.parse(bank_file.content.encode("utf-8"))
    refs = [p.bank_reference for p in notification.payments]
    known = set(
        BankPayment.objects.filter(
            institution_id=bank_file.institution_id, bank_reference__in=refs
        ).values_list("bank_reference", flat=True)
    )
    invoices = {
        i.ocr: i
        for i in Invoice.objects.filter(
            institution_id=bank_file.institution_id,
            ocr__in=[p.reference for p in notification.payments],
        ).select_related("person")
    }
    remaining = {i.pk: i.remaining for i in invoices.values()}
    seen: set[str] = set()
    rows = []
    for payment in notification.payments:
        if payment.bank_reference in known or payment.bank_reference in seen:
            rows.append(Row(payment, Outcome.DUPLICATE, invoices.get(payment.reference)))
            continue
        seen.add(payment.bank_reference)
        problem = _problem(payment, invoices)
        if problem:
            rows.append(Row(payment, Outcome.UNMATCHED, None, problem))
            continue
        invoice = invoices[payment.reference]
        left = remaining[invoice.pk]
        remaining[invoice.pk] = left - payment.amount
        if payment.amount > left:
            over = _("%(over)s kronor more than the %(left)s kronor owed.") % {
                "over": payment.amount - max(left, ZERO),
                "left": max(left, ZERO),
            }
            rows.append(Row(payment, Outcome.OVERPAID, invoice, over))
        else:
            rows.append(Row(payment, Outcome.BOOK, invoice))
    return tuple(rows)


def preview(bank_file: BankFile) -> Preview:
    return Preview(bank_file, _rows(bank_file))


def book(actor: User, *, bank_file: BankFile) -> Preview:
    """Book what the preview shows, as it stands now. A booked file books nothing again."""
    require_fee_admin(actor, bank_file.institution_id)
    with transaction.atomic():
        # One import at a time per university, then the file itself.
        Institution.objects.select_for_update().filter(pk=bank_file.institution_id).first()
        locked = BankFile.objects.select_for_update().get(pk=bank_file.pk)
        if locked.state == BankFileState.BOOKED:
            raise FeeError(
                _("This file was already booked on %(when)s; nothing was booked again.")
                % {"when": clock.local(locked.booked_at).strftime("%Y-%m-%d %H:%M")}
            )
        result = Preview(locked, _rows(locked))
        matched = [r for r in result.rows if r.outcome in (Outcome.BOOK, Outcome.OVERPAID)]
        by_pk = {i.pk: i for i in lock_invoices({r.invoice.pk for r in matched})}
        payments = BankPayment.objects.bulk_create(
            [
                BankPayment(
                    institution_id=locked.institution_id,
                    bank_file=locked,
                    bank_reference=r.payment.bank_reference,
                    reference=r.payment.reference,
                    amount=r.payment.amount,
                    currency=r.payment.currency or "SEK",
                    booking_date=r.payment.booking_date,
                    debtor=r.payment.debtor,
                    state={
                        Outcome.BOOK: BankPaymentState.BOOKED,
                        Outcome.OVERPAID: BankPaymentState.OVERPAID,
                    }.get(r.outcome, BankPaymentState.UNMATCHED),
                    problem=r.problem[:200],
                    invoice=by_pk[r.invoice.pk] if r.invoice is not None else None,
                )
                for r in result.rows
                if r.outcome != Outcome.DUPLICATE
            ]
        )
        for payment in payments:
            if payment.invoice is not None:
                ledger.entry(
                    actor,
                    payment.invoice,
                    kind=EntryKind.PAYMENT,
                    amount=payment.amount,
                    on_date=payment.booking_date,
                    source=PaymentSource.BANK_FILE,
                    bank_payment=payment,
                )
        ledger.refresh_sums(by_pk)
        locked.state = BankFileState.BOOKED
        locked.booked_at = timezone.now()
        locked.booked_by = actor
        locked.save(update_fields=["state", "booked_at", "booked_by"])
        record(
            FeeEventKind.FILE_BOOKED,
            institution_id=locked.institution_id,
            actor=actor,
            amount=result.total(Outcome.BOOK, Outcome.OVERPAID, Outcome.UNMATCHED),
            detail=f"{locked.name} ({locked.message_id})",
        )
    return result


def assign(actor: User, *, bank_payment: BankPayment, invoice: Invoice, note: str) -> BankPayment:
    """An unmatched payment booked on the invoice a fee administrator found for it."""
    require_fee_admin(actor, bank_payment.institution_id)
    if invoice.institution_id != bank_payment.institution_id:
        raise FeeError(_("The invoice belongs to another university."))
    with transaction.atomic():
        locked = BankPayment.objects.select_for_update().get(pk=bank_payment.pk)
        if locked.state != BankPaymentState.UNMATCHED:
            raise FeeError(_("This payment has already been handled."))
        if locked.currency != "SEK":
            raise FeeError(_("Only payments in kronor can be booked on an invoice."))
        (invoice,) = lock_invoices([invoice.pk])
        ledger.entry(
            actor,
            invoice,
            kind=EntryKind.PAYMENT,
            amount=locked.amount,
            on_date=locked.booking_date,
            source=PaymentSource.BANK_FILE,
            bank_payment=locked,
            description=note.strip()[:200],
        )
        ledger.refresh_sums([invoice.pk])
        _handled(actor, locked, note or invoice.ocr, invoice=invoice)
    return locked


def close(actor: User, *, bank_payment: BankPayment, note: str) -> BankPayment:
    """An unmatched or overpaid payment dealt with outside the invoices (returned to the payer,
    refunded, kept on purpose), with the reason."""
    require_fee_admin(actor, bank_payment.institution_id)
    if not note.strip():
        raise FeeError(_("Say how the payment was handled."))
    with transaction.atomic():
        locked = BankPayment.objects.select_for_update().get(pk=bank_payment.pk)
        if locked.state not in (BankPaymentState.UNMATCHED, BankPaymentState.OVERPAID):
            raise FeeError(_("This payment has already been handled."))
        _handled(actor, locked, note, invoice=locked.invoice)
    return locked


def _handled(actor: User, payment: BankPayment, note: str, *, invoice: Invoice | None) -> None:
    payment.state = BankPaymentState.HANDLED
    payment.invoice = invoice
    payment.handled_by = actor
    payment.handled_at = timezone.now()
    payment.handling_note = note.strip()[:300]
    payment.save(update_fields=["state", "invoice", "handled_by", "handled_at", "handling_note"])
    record(
        FeeEventKind.PAYMENT_HANDLED,
        institution_id=payment.institution_id,
        actor=actor,
        invoice=invoice,
        amount=payment.amount,
        detail=f"{payment.bank_reference}: {payment.handling_note}",
    )
