"""Reads about persons and staff."""

from itertools import groupby

from people.models import StaffRole, User


def staff_roles_by_institution(user: User) -> list[tuple]:
    """The user's roles grouped by university, for the staff home: one query."""
    roles = (
        StaffRole.objects.filter(user=user)
        .select_related("institution", "org_unit", "course")
        .order_by("institution__name_sv", "role")
    )
    return [(inst, list(group)) for inst, group in groupby(roles, key=lambda r: r.institution)]
