"""Who handles degree cases (S-DEG-3, S-DEG-4): the degree case officers of a university
(StaffRoleKind.DEGREE_OFFICER). The guard of every staff degree page and the first check of every
case officer's service."""

import rules

from people.models import StaffRoleKind, User


@rules.predicate
def handles_degrees_at(user: User, institution_id: int) -> bool:
    return (
        user.is_authenticated
        and user.staff_roles.filter(
            institution_id=institution_id, role=StaffRoleKind.DEGREE_OFFICER
        ).exists()
    )


rules.add_perm("degrees.handle_cases", handles_degrees_at)
