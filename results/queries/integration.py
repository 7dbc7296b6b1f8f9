"""Reads for the integration pages of the staff web (B-7, T-EXT-1): the inbox of rejected
records and the exam systems' clients of one university, each list in a fixed number of
queries whatever its length.

B-6: a record shows what the exam system sent and nothing else. A record keyed by an
anonymisation code is never joined to the person behind the code here.
"""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from institutions.models import Institution
from people.models import User
from results.models import ApiClient, InboundState, RejectedRecord
from results.rules import REPORTING_ROLES


def inbox(institution: Institution, *, state: str = "") -> QuerySet[RejectedRecord]:
    """The university's rejected records, newest first; `state` narrows to one state."""
    rows = RejectedRecord.objects.filter(institution=institution).select_related(
        "client", "session", "handled_by"
    )
    return rows.filter(state=state) if state else rows


def record_at(institution: Institution, public_id: uuid.UUID) -> RejectedRecord | None:
    return (
        RejectedRecord.objects.filter(institution=institution, public_id=public_id)
        .select_related("client", "session", "handled_by", "result")
        .first()
    )


@dataclass(frozen=True)
class InboxRow:
    """A record as the inbox shows it: what was sent, and why it was rejected, in the reader's
    language where the reason is one of ours without inserted values."""

    record: RejectedRecord
    reasons: list[str]
    dismissal_note: str

    @property
    def sent(self) -> dict:
        return self.record.payload

    @property
    def is_open(self) -> bool:
        return self.record.state == InboundState.REJECTED


def shaped(record: RejectedRecord) -> InboxRow:
    # Reasons are kept in English (the API's language): show them translated. The message ids
    # are those of results.services.integration and results.validation.
    reasons = [gettext(line) for line in record.reason.splitlines()]
    return InboxRow(record, reasons, record.dismissal_note)


def clients_at(institution: Institution) -> QuerySet[ApiClient]:
    return (
        ApiClient.objects.filter(institution=institution)
        .select_related("acting_user")
        .order_by("-active", "name_en", "pk")
    )


def client_at(institution: Institution, public_id: uuid.UUID) -> ApiClient | None:
    return ApiClient.objects.filter(institution=institution, public_id=public_id).first()


def acting_user_choices(institution: Institution) -> QuerySet[User]:
    """Who a client may report as: staff with a reporting or study-administration right at the
    university (results.rules.REPORTING_ROLES)."""
    return (
        User.objects.filter(
            staff_roles__institution=institution, staff_roles__role__in=REPORTING_ROLES
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
