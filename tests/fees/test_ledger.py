"""Money on an invoice (#15 build point 1, acceptance: property tests). For any sequence of
payments, scholarships and refunds: remaining = amount − payments − scholarships + refunds, as
the database derives it; a refund above what was paid is refused and changes nothing; a negative
remaining is always shown as overpaid."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fees.errors import FeeError
from fees.models import FeeEvent, Invoice, InvoiceEntry, InvoiceState
from fees.services import invoicing, ledger
from ladokportal import clock
from ladokportal.errors import NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("60000"), places=2)
acts = st.lists(
    st.tuples(st.sampled_from(["payment", "scholarship", "refund"]), amounts), max_size=8
)


def act(actor, invoice, kind, amount):
    today = clock.today()
    if kind == "payment":
        return ledger.record_payment(actor, invoice=invoice, amount=amount, on_date=today)
    if kind == "scholarship":
        return ledger.record_scholarship(
            actor, invoice=invoice, amount=amount, on_date=today, scholarship="Study Scholarship"
        )
    return ledger.record_refund(
        actor, invoice=invoice, amount=amount, on_date=today, reason="Asked"
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=acts, sent=st.booleans())
def test_remaining_is_amount_less_payments_and_scholarships_plus_refunds(
    sequence, sent, fee_admin, invoice
):
    Invoice.objects.filter(pk=invoice.pk).update(
        sent_at=clock.now() if sent else None, paid=0, scholarships=0, refunded=0
    )
    InvoiceEntry.objects.filter(invoice=invoice).delete()
    totals = {"payment": Decimal(0), "scholarship": Decimal(0), "refund": Decimal(0)}
    for kind, amount in sequence:
        if kind == "refund" and amount > totals["payment"] - totals["refund"]:
            with pytest.raises(FeeError):
                act(fee_admin, invoice, kind, amount)
        else:
            act(fee_admin, invoice, kind, amount)
            totals[kind] += amount
        current = Invoice.objects.get(pk=invoice.pk)
        expected = invoice.amount - totals["payment"] - totals["scholarship"] + totals["refund"]
        assert current.remaining == expected
        assert (current.paid, current.scholarships, current.refunded) == (
            totals["payment"],
            totals["scholarship"],
            totals["refund"],
        )
        assert current.paid_in_full == (expected <= 0)
        assert current.overpaid == (-expected if expected < 0 else 0)
        assert current.refunded <= current.paid
        assert current.state == (
            InvoiceState.NOT_SENT
            if not sent
            else InvoiceState.SETTLED
            if expected <= 0
            else InvoiceState.SENT
        )


def test_database_refuses_a_refund_above_what_was_paid(invoice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(paid=100, refunded=Decimal("100.01"))


def test_refund_above_paid_is_refused_with_the_most_that_can_be_refunded(fee_admin, invoice):
    act(fee_admin, invoice, "payment", Decimal("1000.00"))
    with pytest.raises(FeeError) as refused:
        act(fee_admin, invoice, "refund", Decimal("1000.01"))
    assert str(refused.value) == (
        "A refund cannot exceed what was paid: at most 1000.00 kronor can be refunded."
    )


def test_every_entry_leaves_a_history_row_with_who_and_why(fee_admin, invoice):
    act(fee_admin, invoice, "scholarship", Decimal("5000.00"))
    act(fee_admin, invoice, "payment", Decimal("100.00"))
    act(fee_admin, invoice, "refund", Decimal("100.00"))
    events = list(
        FeeEvent.objects.filter(invoice=invoice)
        .order_by("pk")
        .values_list("kind", "actor__username", "amount", "detail")
    )
    assert events[1:] == [
        ("scholarship", "fia", Decimal("5000.00"), "Study Scholarship"),
        ("payment", "fia", Decimal("100.00"), "manual"),
        ("refund", "fia", Decimal("100.00"), "Asked"),
    ]


def test_money_must_be_positive_whole_ore(fee_admin, invoice):
    for amount in (Decimal(0), Decimal("-1"), Decimal("1.005")):
        with pytest.raises(FeeError):
            act(fee_admin, invoice, "payment", amount)
    assert InvoiceEntry.objects.count() == 0


def test_only_fee_administrators_record_money(invoice):
    with pytest.raises(NotAllowed):
        act(UserFactory(), invoice, "payment", Decimal("1.00"))


def test_instalments_split_the_amount_exactly(fee_period):
    fee_period.amount = Decimal("100000.00")
    fee_period.instalments = 3
    parts = invoicing.split(fee_period)
    assert [p[0] for p in parts] == [Decimal("33333.33"), Decimal("33333.33"), Decimal("33333.34")]
    assert sum(p[0] for p in parts) == fee_period.amount
