"""What the fee services share: the right check, the history row, locking invoices."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fees.models import FeeEvent, Invoice
from fees.rules import administers_fees_at
from ladokportal.errors import NotAllowed
from people.models import User


def require_fee_admin(actor: User, institution_id: int) -> None:
    if not administers_fees_at(actor, institution_id):
        raise NotAllowed(_("Only the university's fee administrators handle tuition fees."))


def event(
    kind: str,
    *,
    institution_id: int,
    actor: User | None,
    person_id: int | None = None,
    invoice: Invoice | None = None,
    fee_period_id: int | None = None,
    amount: Decimal | None = None,
    detail: str = "",
) -> FeeEvent:
    return FeeEvent(
        institution_id=institution_id,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        person_id=person_id if person_id is not None else (invoice.person_id if invoice else None),
        invoice=invoice,
        fee_period_id=fee_period_id
        if fee_period_id is not None
        else (invoice.fee_period_id if invoice else None),
        amount=amount,
        detail=detail[:300],
    )


def record(*args, **kwargs) -> FeeEvent:
    row = event(*args, **kwargs)
    row.save()
    return row


def lock_invoices(pks: Iterable[int]) -> QuerySet[Invoice]:
    """The invoices locked in primary-key order (two bookers never deadlock)."""
    return Invoice.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk")
