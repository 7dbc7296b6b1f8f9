"""The reads of credit-transfer pages (S-CRED-1..3, T-ADM-2), each in a fixed number of queries.

Student reads go through the person and never touch CaseNote: internal notes are read only by
`staff_case`. Staff reads are limited to the current university by the scoped manager.
"""

import uuid

from django.db.models import Count, Prefetch, Q, QuerySet

from catalog.models import Course, Module
from credits.models import CaseAttachment, CaseStatus, CreditCase, CreditItem
from institutions.models import Institution
from people.models import Person

ITEM_RELATED = (
    "target_course",
    "target_module",
    "grade",
    "decided_by__person",
    "foreign_merit__session__contact_point",
)


def _items() -> Prefetch:
    return Prefetch("items", queryset=CreditItem.objects.select_related(*ITEM_RELATED))


# --- The student --------------------------------------------------------------------------------


def student_cases(person: Person) -> list[CreditCase]:
    """S-CRED-1: the student's submitted cases at the current university, newest first. One
    query."""
    return list(
        CreditCase.objects.filter(person=person)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("case_officer__person")
        .annotate(item_count=Count("items"))
        .order_by("-submitted_at", "-id")
    )


def student_case(person: Person, public_id: uuid.UUID) -> CreditCase | None:
    """A case of the student with its items and attachments (never its notes). Three queries."""
    return (
        CreditCase.objects.filter(person=person, public_id=public_id)
        .select_related("case_officer__person")
        .prefetch_related(_items(), "attachments")
        .first()
    )


def draft(person: Person) -> CreditCase | None:
    """The student's draft at the current university with its items and attachments."""
    return (
        CreditCase.objects.filter(person=person, status=CaseStatus.DRAFT)
        .prefetch_related(_items(), "attachments")
        .first()
    )


def student_attachment(person: Person, public_id: uuid.UUID) -> CaseAttachment | None:
    return CaseAttachment.objects.filter(public_id=public_id, case__person=person).first()


def targets() -> list[Course]:
    """The courses of the current university with their modules, for the target choice."""
    return list(
        Course.objects.order_by("code").prefetch_related(
            Prefetch("modules", queryset=Module.objects.order_by("position", "code"))
        )
    )


def decisions_of(results: list) -> dict[int, CreditItem]:
    """The credit-transfer decision behind each credited result (S-EDU-3: a credited module
    links to its decision). One query."""
    ids = [r.pk for r in results]
    if not ids:
        return {}
    items = CreditItem.objects.filter(result_id__in=ids).select_related("case")
    return {item.result_id: item for item in items}


# --- Staff --------------------------------------------------------------------------------------


class QueueFilter:
    OPEN = "open"
    MINE = "mine"
    DECIDED = "decided"
    ALL = "all"


def queue(institution: Institution, user, show: str = QueueFilter.OPEN) -> QuerySet[CreditCase]:
    """The university's cases for its case officers, oldest waiting first. One query."""
    cases = (
        CreditCase.objects.filter(institution=institution)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("person", "case_officer__person")
        .annotate(
            item_count=Count("items"),
            undecided=Count("items", filter=Q(items__outcome="")),
        )
    )
    if show == QueueFilter.OPEN:
        cases = cases.exclude(status=CaseStatus.DECIDED)
    elif show == QueueFilter.MINE:
        cases = cases.filter(case_officer=user).exclude(status=CaseStatus.DECIDED)
    elif show == QueueFilter.DECIDED:
        cases = cases.filter(status=CaseStatus.DECIDED)
    return cases.order_by("submitted_at", "id")


def staff_case(institution: Institution, public_id: uuid.UUID) -> CreditCase | None:
    """A submitted case with everything the case page shows: items, attachments, internal notes
    and history. Five queries."""
    return (
        CreditCase.objects.filter(institution=institution, public_id=public_id)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("person", "case_officer__person")
        .prefetch_related(
            _items(),
            "attachments",
            Prefetch("notes", queryset=_notes()),
            Prefetch("events", queryset=_events()),
        )
        .first()
    )


def _notes():
    from credits.models import CaseNote

    return CaseNote.objects.select_related("author__person")


def _events():
    from credits.models import CaseEvent

    return CaseEvent.objects.select_related("actor__person", "item")


def staff_attachment(institution: Institution, public_id: uuid.UUID) -> CaseAttachment | None:
    return (
        CaseAttachment.objects.filter(institution=institution, public_id=public_id)
        .exclude(case__status=CaseStatus.DRAFT)
        .first()
    )


def overview(institution: Institution, person: Person) -> list[CreditCase]:
    """T-ADM-2: the student's credit-transfer cases at the university. Two queries."""
    return list(
        CreditCase.objects.filter(institution=institution, person=person)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("case_officer__person")
        .prefetch_related(_items())
        .order_by("-submitted_at", "-id")
    )
