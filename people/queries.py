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
    """A graduate with no studies going on or to come: an issued degree that stands, and every
    course and programme participation ended (S-AUTH-2: such a person uses the portal as an
    alumnus). A student who has merely completed every course so far (between terms, say) is
    still a student. At most three queries; it looks across every university on purpose."""
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
    if not states or states & set(ongoing):
        return False
    from degrees.models import IssuedDegree

    return (
        IssuedDegree.objects.with_scopes_disabled()
        .filter(person_id=person_id, withdrawn_at=None)
        .exists()
    )
