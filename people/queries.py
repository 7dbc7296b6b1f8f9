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


def is_former_student(person_id: int | None) -> bool:
    """A person with studies at some university and none going on or to come: every course and
    programme participation has ended (S-AUTH-2: such a person uses the portal as an alumnus).
    Two queries; it looks across every university on purpose."""
    from registration.models import (
        CourseParticipation,
        ParticipationState,
        ProgrammeParticipation,
    )

    if person_id is None:
        return False
    ongoing = (
        ParticipationState.ADMITTED,
        ParticipationState.EXPECTED,
        ParticipationState.REGISTERED,
    )
    states = set()
    for model in (CourseParticipation, ProgrammeParticipation):
        states |= set(
            model.objects.with_scopes_disabled()
            .filter(person_id=person_id)
            .values_list("state", flat=True)
            .distinct()
        )
    return bool(states) and not states & set(ongoing)
