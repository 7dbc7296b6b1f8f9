"""Who administers tuition fees (S-FEE, #15): fee administrators of the university. The guard of
every fee page in the staff web and the first check of every fee service."""

import rules

from people.models import StaffRoleKind, User


@rules.predicate
def administers_fees_at(user: User, institution_id: int) -> bool:
    return (
        user.is_authenticated
        and user.staff_roles.filter(
            institution_id=institution_id, role=StaffRoleKind.FEE_ADMIN
        ).exists()
    )


rules.add_perm("fees.administer_fees", administers_fees_at)
