"""Payments from the bank (#15 build point 3, acceptance "Bank file"): a malformed XML, a file of
another format, a reference with a wrong check digit, an amount larger than owed, the same file
twice: each handled, nothing booked twice and nothing lost."""

from decimal import Decimal

import pytest

from fees.errors import BankFileError, FeeError
from fees.models import BankFile, BankPayment, BankPaymentState, FeeEvent, Invoice, InvoiceEntry
from fees.services import bank, invoicing
from ladokportal.errors import NotAllowed
from tests.factories import UserFactory
from tests.fees import camt_files
from tests.fees.camt_files import transaction as tx
from tests.fees.conftest import liable_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(institution, fee_admin, fee_period, course_instance):
    for _ in range(3):
        liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoicing.send_invoices(fee_admin, period=fee_period)
    return list(Invoice.objects.order_by("number"))


def upload(fee_admin, institution, data, name="bank.xml"):
    return bank.upload(fee_admin, institution=institution, name=name, data=data)


def wrong_digit(reference: str) -> str:
    return reference[:-1] + str((int(reference[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Document><unclosed></Document>", "The file is not well-formed XML; nothing was read."),
        (b"not xml at all", "The file is not well-formed XML; nothing was read."),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><x/></Document>',
            "The file is not a camt.054 bank file (ISO 20022 debit/credit notification).",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>',
            "The file is not a camt.054 bank file (it declares a DTD).",
        ),
    ],
)
def test_a_file_that_is_not_camt054_is_refused_whole(fee_admin, institution, data, message):
    with pytest.raises(BankFileError) as refused:
        upload(fee_admin, institution, data)
    assert str(refused.value) == message
    assert BankFile.objects.count() == 0


def test_preview_books_nothing_and_says_what_each_payment_becomes(fee_admin, institution, invoices):
    first, second, third = invoices
    data = camt_files.document(
        tx("R1", first.ocr, "45000.00"),
        tx("R2", wrong_digit(second.ocr), "45000.00"),
        tx("R3", third.ocr, "50000.00"),
        tx("R4", "99999997", "10.00"),
        tx("R1", first.ocr, "45000.00"),
        tx("R5", second.ocr, "100.00", ccy="EUR"),
    )
    preview = bank.preview(upload(fee_admin, institution, data))
    assert [(r.payment.bank_reference, r.outcome, r.problem) for r in preview.rows] == [
        ("R1", "book", ""),
        (
            "R2",
            "unmatched",
            f"The reference number {wrong_digit(second.ocr)} has a wrong check digit.",
        ),
        ("R3", "overpaid", "5000.00 kronor more than the 45000.00 kronor owed."),
        ("R4", "unmatched", "No invoice has the reference number 99999997."),
        ("R1", "duplicate", ""),
        ("R5", "unmatched", "The payment is in EUR, not in kronor."),
    ]
    assert BankPayment.objects.count() == InvoiceEntry.objects.count() == 0


def test_booking_counts_every_krona_once(fee_admin, institution, invoices):
    first, second, third = invoices
    data = camt_files.document(
        tx("R1", first.ocr, "45000.00"),
        tx("R2", wrong_digit(second.ocr), "20000.00"),
        tx("R3", third.ocr, "50000.00"),
        tx("R1", first.ocr, "45000.00"),
    )
    bank_file = upload(fee_admin, institution, data)
    result = bank.book(fee_admin, bank_file=bank_file)

    money_in = Decimal("160000.00")
    assert result.money_in == money_in
    booked = sum(e.amount for e in InvoiceEntry.objects.all())
    waiting = sum(p.amount for p in BankPayment.objects.filter(state=BankPaymentState.UNMATCHED))
    duplicates = result.total("duplicate")
    assert (booked, waiting, duplicates) == (
        Decimal("95000.00"),
        Decimal("20000.00"),
        Decimal("45000.00"),
    )
    assert booked + waiting + duplicates == money_in
    states = dict(BankPayment.objects.values_list("bank_reference", "state"))
    assert states == {"R1": "booked", "R2": "unmatched", "R3": "overpaid"}
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.state, first.remaining) == ("settled", Decimal("0.00"))
    assert (third.state, third.remaining, third.overpaid) == (
        "settled",
        Decimal("-5000.00"),
        Decimal("5000.00"),
    )
    assert FeeEvent.objects.filter(kind="file_booked").count() == 1


def test_the_same_file_twice_books_nothing_twice(fee_admin, institution, invoices):
    data = camt_files.document(tx("R1", invoices[0].ocr, "100.00"))
    bank.book(fee_admin, bank_file=upload(fee_admin, institution, data))
    again = upload(fee_admin, institution, data, name="again.xml")
    assert BankFile.objects.count() == 1
    with pytest.raises(FeeError) as refused:
        bank.book(fee_admin, bank_file=again)
    assert str(refused.value).startswith("This file was already booked on ")
    assert InvoiceEntry.objects.count() == 1
    assert Invoice.objects.get(pk=invoices[0].pk).paid == Decimal("100.00")


def test_a_later_file_repeating_a_payment_books_only_the_new_ones(fee_admin, institution, invoices):
    bank.book(
        fee_admin,
        bank_file=upload(
            fee_admin, institution, camt_files.document(tx("R1", invoices[0].ocr, "100.00"))
        ),
    )
    later = camt_files.document(
        tx("R1", invoices[0].ocr, "100.00"), tx("R2", invoices[0].ocr, "50.00"), message_id="MSG-2"
    )
    result = bank.book(fee_admin, bank_file=upload(fee_admin, institution, later))
    assert [r.outcome for r in result.rows] == ["duplicate", "book"]
    assert Invoice.objects.get(pk=invoices[0].pk).paid == Decimal("150.00")


def test_an_unmatched_payment_is_assigned_by_hand(fee_admin, institution, invoices):
    data = camt_files.document(tx("R9", wrong_digit(invoices[1].ocr), "45000.00"))
    bank.book(fee_admin, bank_file=upload(fee_admin, institution, data))
    payment = BankPayment.objects.get()
    bank.assign(fee_admin, bank_payment=payment, invoice=invoices[1], note="Typo in reference")
    payment.refresh_from_db()
    assert payment.state == BankPaymentState.HANDLED
    assert Invoice.objects.get(pk=invoices[1].pk).state == "settled"
    with pytest.raises(FeeError):
        bank.assign(fee_admin, bank_payment=payment, invoice=invoices[1], note="again")
    assert InvoiceEntry.objects.count() == 1


def test_an_overpaid_payment_is_closed_with_a_note(fee_admin, institution, invoices):
    data = camt_files.document(tx("R3", invoices[2].ocr, "46000.00"))
    bank.book(fee_admin, bank_file=upload(fee_admin, institution, data))
    payment = BankPayment.objects.get()
    with pytest.raises(FeeError):
        bank.close(fee_admin, bank_payment=payment, note=" ")
    bank.close(fee_admin, bank_payment=payment, note="1000 kronor refunded")
    assert BankPayment.objects.get().state == BankPaymentState.HANDLED


def test_only_fee_administrators_import(institution, invoices):
    with pytest.raises(NotAllowed):
        bank.upload(UserFactory(), institution=institution, name="x", data=camt_files.document())
