"""What the degree pages read (S-DEG-1..5), each in a fixed number of SQL queries whatever the
number of cases, courses, degrees or shares. Student reads go through the person; the managers
are scoped to the request's university."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import pgettext

from degrees.audit import Audit, audit
from degrees.inputs import CompletedCourse, completed_courses
from degrees.models import (
    OPEN_CASE_STATES,
    CaseState,
    DegreeCase,
    DegreeCategory,
    DegreeKind,
    DegreeRequirement,
    DegreeShare,
    IssuedDegree,
    ShareUse,
)
from institutions.models import Institution, InstitutionSettings
from people.models import Person

# S-DEG-1: what a university lets its students apply for (InstitutionSettings.degree_page).
DEGREES = "degrees"
CERTIFICATES = "certificates"
BOTH = "both"
CATEGORIES = {
    DEGREES: (DegreeCategory.GENERAL, DegreeCategory.PROFESSIONAL),
    CERTIFICATES: (DegreeCategory.COMPLETED_EDUCATION,),
    BOTH: tuple(DegreeCategory.values),
}


def page_name(settings: InstitutionSettings | None) -> str:
    """S-DEG-1: the menu item and page are named after what the student may apply for."""
    offer = getattr(settings, "degree_page", BOTH)
    if offer == DEGREES:
        return pgettext("degree page", "Degree")
    if offer == CERTIFICATES:
        return pgettext("degree page", "Course certificates and other certificates")
    return pgettext("degree page", "Degrees and certificates")


def offered_kinds(settings: InstitutionSettings | None) -> QuerySet[DegreeKind]:
    """The degree kinds a student of the current university may apply for."""
    offer = getattr(settings, "degree_page", BOTH)
    return DegreeKind.objects.filter(active=True, category__in=CATEGORIES[offer]).select_related(
        "main_field"
    )


def requirements(kind: DegreeKind) -> list[DegreeRequirement]:
    """A kind's requirements with what the audit reads. One query."""
    return list(
        kind.requirements.select_related("main_field", "course", "earlier_degree").order_by(
            "position", "id"
        )
    )


def earlier_kinds(person: Person | int) -> set[int]:
    """The kinds of the degrees the person holds (issued, not withdrawn). One query."""
    return set(
        IssuedDegree.objects.filter(person=person, withdrawn_at__isnull=True).values_list(
            "degree_kind_id", flat=True
        )
    )


def chosen(courses: Iterable[CompletedCourse], ids: Iterable[int] | None) -> list[CompletedCourse]:
    if ids is None:
        return list(courses)
    wanted = set(ids)
    return [c for c in courses if c.course_id in wanted]


def audit_of(
    person: Person | int,
    kind: DegreeKind,
    course_ids: Iterable[int] | None = None,
    *,
    completed: list[CompletedCourse] | None = None,
) -> Audit:
    """The audit (degrees.audit) of the person's completed courses, or the chosen ones among
    them, for this kind. Three queries (two with `completed` given)."""
    done = completed if completed is not None else completed_courses(person, kind.institution_id)
    return audit(requirements(kind), chosen(done, course_ids), earlier_kinds=earlier_kinds(person))


# --- The student's page (S-DEG-2, S-DEG-3) --------------------------------------------------------


@dataclass(frozen=True)
class StudentOverview:
    degrees: list[IssuedDegree]
    cases: list[DegreeCase]


def student_overview(person: Person) -> StudentOverview:
    """Issued certificates (with their document's state) and the cases not yet issued (an
    issued case is gone from the list, S-DEG-3). Two queries."""
    degrees = list(
        IssuedDegree.objects.filter(person=person)
        .select_related("degree_kind", "document")
        .defer("document__content", "document__options")
    )
    cases = list(
        DegreeCase.objects.filter(person=person)
        .exclude(state=CaseState.ISSUED)
        .select_related("degree_kind")
        .order_by("-submitted_at", "-id")
    )
    return StudentOverview(degrees=degrees, cases=cases)


def student_case(person: Person, public_id: uuid.UUID) -> DegreeCase | None:
    """One of the person's cases with its courses; no notes, ever. Two queries."""
    return (
        DegreeCase.objects.filter(person=person, public_id=public_id)
        .select_related("degree_kind")
        .prefetch_related("courses")
        .first()
    )


def student_degree(person: Person, public_id: uuid.UUID) -> IssuedDegree | None:
    """One of the person's issued degrees with its document. One query."""
    return (
        IssuedDegree.objects.filter(person=person, public_id=public_id)
        .select_related("degree_kind", "document")
        .first()
    )


def shares(degree: IssuedDegree) -> list[DegreeShare]:
    """The degree's shares, each with its uses (when, never who). Two queries."""
    return list(
        degree.shares.annotate(use_count=Count("uses")).prefetch_related(
            Prefetch("uses", queryset=ShareUse.objects.order_by("-at", "-id"))
        )
    )


def has_open_case(person: Person, kind: DegreeKind) -> bool:
    return DegreeCase.objects.filter(
        person=person, degree_kind=kind, state__in=OPEN_CASE_STATES
    ).exists()


# --- Case officers (staff web) ------------------------------------------------------------------


def queue(*, state: str = "", kind: DegreeKind | None = None) -> list[DegreeCase]:
    """The university's cases, open ones first, filtered by state and kind. One query."""
    cases = DegreeCase.objects.select_related("degree_kind", "person", "officer")
    cases = cases.filter(state=state) if state else cases.filter(state__in=OPEN_CASE_STATES)
    if kind is not None:
        cases = cases.filter(degree_kind=kind)
    return list(cases.order_by("submitted_at", "id")[:500])


def staff_case(public_id: uuid.UUID) -> DegreeCase | None:
    """A case of the current university with everything the case page shows: the application,
    its courses, the events and the internal notes. Four queries."""
    return (
        DegreeCase.objects.filter(public_id=public_id)
        .select_related("degree_kind__main_field", "person", "officer", "decided_by")
        .prefetch_related(
            "courses",
            Prefetch("events", queryset=_events()),
            Prefetch("notes", queryset=_notes()),
        )
        .first()
    )


def _events():
    from degrees.models import DegreeCaseEvent

    return DegreeCaseEvent.objects.select_related("actor").order_by("at", "id")


def _notes():
    from degrees.models import DegreeCaseNote

    return DegreeCaseNote.objects.select_related("author").order_by("at", "id")


def issued_for_case(case: DegreeCase) -> IssuedDegree | None:
    return IssuedDegree.objects.filter(case=case).select_related("document").first()


def institution_kinds(institution: Institution) -> list[DegreeKind]:
    return list(DegreeKind.objects.filter(institution=institution).order_by("category", "code"))
