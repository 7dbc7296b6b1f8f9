"""The same bank file imported twice at once (#15 acceptance "Races on PostgreSQL"): each
payment booked once, whatever the interleaving; two different files repeating a payment, booked
at once, book it once."""

from decimal import Decimal

import pytest
from django.db import connection

from fees.errors import FeeError
from fees.models import BankPayment, Invoice, InvoiceEntry
from fees.services import bank, invoicing
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.fees import camt_files
from tests.fees.camt_files import transaction as tx
from tests.fees.conftest import liable_student

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
    ),
]


def test_same_file_imported_twice_at_once_books_each_payment_once(
    institution, fee_admin, fee_period, course_instance
):
    liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoice = Invoice.objects.get()
    for repetition in range(REPETITIONS):
        data = camt_files.document(
            tx(f"A{repetition}", invoice.ocr, "10.00"),
            tx(f"B{repetition}", invoice.ocr, "5.00"),
            message_id=f"M{repetition}",
        )

        def imports(data=data):
            bank_file = bank.upload(fee_admin, institution=institution, name="f.xml", data=data)
            return bank.book(fee_admin, bank_file=bank_file)

        outcomes = run_together(imports, imports, delays=head_start(repetition))
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refused) == 1, outcomes
        assert isinstance(refused[0], FeeError), refused
        assert str(refused[0]).startswith("This file was already booked")
    assert BankPayment.objects.count() == 2 * REPETITIONS
    assert InvoiceEntry.objects.count() == 2 * REPETITIONS
    assert Invoice.objects.get().paid == Decimal("15.00") * REPETITIONS


def test_two_files_repeating_a_payment_booked_at_once_book_it_once(
    institution, fee_admin, fee_period, course_instance
):
    liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoice = Invoice.objects.get()
    for repetition in range(REPETITIONS):
        files = [
            bank.upload(
                fee_admin,
                institution=institution,
                name=f"{which}.xml",
                data=camt_files.document(
                    tx(f"S{repetition}", invoice.ocr, "7.00"), message_id=f"{which}{repetition}"
                ),
            )
            for which in ("x", "y")
        ]
        outcomes = run_together(
            *(lambda f=f: bank.book(fee_admin, bank_file=f) for f in files),
            delays=head_start(repetition),
        )
        assert sorted(r.outcome for o in outcomes for r in o.rows) == ["book", "duplicate"]
    assert InvoiceEntry.objects.count() == REPETITIONS
    assert Invoice.objects.get().paid == Decimal("7.00") * REPETITIONS
