"""Reads for the rights administration pages (T-ROLE-1): the staff rights of one university and
their history, each with a fixed number of SQL queries whatever their number, and the look-ups
the grant form needs. Every read is bounded to the university asked for: a row of another
university is never returned, whatever its id."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Lower

from catalog.models import Course
from institutions.models import Institution
from people.models import StaffRole, StaffRoleEvent, User

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
