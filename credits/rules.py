"""Who handles credit-transfer cases (S-CRED, T-ROLE-1): the university's case officers
(StaffRoleKind.CREDIT_OFFICER). The page guard and the services ask the same predicate."""

import rules

from people.models import StaffRoleKind, User


@rules.predicate
def handles_credits_at(user: User, institution_id: int) -> bool:
    return (
        user.is_authenticated
        and user.staff_roles.filter(
            institution_id=institution_id, role=StaffRoleKind.CREDIT_OFFICER
        ).exists()
    )


rules.add_perm("credits.handle_cases", handles_credits_at)
