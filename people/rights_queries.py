"""Reads for the rights administration pages (T-ROLE-1): the staff rights of one university and
their history, each with a fixed number of SQL queries whatever their number, and the look-ups
the grant form needs. Every read is bounded to the university asked for: a row of another
university is never returned, whatever its id."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Lower

from catalog.models import Course
from institutions.models import Institution
from people.models import (
    RightsRequest,
    RightsRequestState,
    StaffRole,
    StaffRoleEvent,
    StaffRoleKind,
    User,
)

# How many history rows the history page shows, latest first.
HISTORY_SHOWN = 100


class AmbiguousAccount(Exception):
    """Several accounts share the e-mail address given."""


def roles_at(institution: Institution, *, role: str = "", search: str = "") -> QuerySet[StaffRole]:
    """The university's staff rights, optionally of one role and of accounts whose username or
    name contains every word searched for; by surname, first name, username."""
    rows = StaffRole.objects.filter(institution=institution).select_related(
        "user__person", "org_unit", "course", "granted_by__person"
    )
    if role:
        rows = rows.filter(role=role)
    for word in search.split():
        rows = rows.filter(
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__person__first_name__icontains=word)
            | Q(user__person__last_name__icontains=word)
        )
    # A Person's name is the true one where the account has a Person (User.display_name).
    return rows.order_by(
        Lower(Coalesce("user__person__last_name", "user__last_name")),
        Lower(Coalesce("user__person__first_name", "user__first_name")),
        "user__username",
        "role",
        "pk",
    )


def role_at(institution: Institution, role_id: int) -> StaffRole | None:
    """One right of the university, or None for any id outside it (the page answers 404)."""
    return roles_at(institution).filter(pk=role_id).first()


def history_at(institution: Institution) -> list[StaffRoleEvent]:
    """The latest grants and revocations at the university."""
    return list(
        StaffRoleEvent.objects.filter(institution=institution)
        .select_related("user__person", "actor__person", "org_unit", "course")
        .order_by("-at", "-pk")[:HISTORY_SHOWN]
    )


def find_account(text: str) -> User | None:
    """The account with this username, else the one with this e-mail address (on the account
    or on its Person). AmbiguousAccount when the address names several."""
    text = text.strip()
    by_username = User.objects.filter(username=text).select_related("person").first()
    if by_username is not None:
        return by_username
    matches = list(
        User.objects.filter(Q(email__iexact=text) | Q(person__email__iexact=text))
        .select_related("person")
        .order_by("pk")[:2]
    )
    if len(matches) > 1:
        raise AmbiguousAccount(text)
    return matches[0] if matches else None


def course_by_code(institution: Institution, code: str) -> Course | None:
    return Course.objects.filter(institution=institution, code__iexact=code.strip()).first()


def pending_requests_for(user: User, institution: Institution) -> list[RightsRequest]:
    """The requests for rights waiting on courses this study administrator covers (the queue,
    #12 point 5), oldest first. One query."""
    from institutions.tree import covering_unit

    covering = StaffRole.objects.filter(
        user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN
    ).filter(
        Q(org_unit__isnull=True, course__isnull=True)
        | Q(course_id=OuterRef("course_id"))
        | covering_unit(OuterRef("course__org_unit_id"))
    )
    return list(
        RightsRequest.objects.filter(institution=institution, state=RightsRequestState.PENDING)
        .filter(Exists(covering))
        .select_related("user__person", "course")
        .order_by("created_at", "pk")
    )


def rights_request_at(institution: Institution, request_id: int) -> RightsRequest | None:
    return (
        RightsRequest.objects.filter(institution=institution, pk=request_id)
        .select_related("user", "course")
        .first()
    )


def my_request(user: User, course) -> RightsRequest | None:
    """The user's latest request for rights on the course, if any."""
    return RightsRequest.objects.filter(user=user, course=course).order_by("-created_at").first()
