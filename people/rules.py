"""Who administers what at a university, from StaffRole rows.

Who grants and revokes staff rights (T-ROLE-1): the system administrators of a university with
a role for the whole university. A system administrator's role narrowed to an org unit or a
course gives no such right (StaffRole.administers_rights says the same of one row)."""

import rules
from django.db.models import Q

from people.models import StaffRoleKind, User

# The rows that make their holder a rights administrator at their university.
ADMINISTERS_RIGHTS = Q(role=StaffRoleKind.SYSTEM_ADMIN, org_unit__isnull=True, course__isnull=True)


@rules.predicate
def administers_rights_at(user: User, institution_id: int) -> bool:
    return (
        user.is_authenticated
        and user.staff_roles.filter(ADMINISTERS_RIGHTS, institution_id=institution_id).exists()
    )


@rules.predicate
def administers_configuration_at(user: User, institution_id: int) -> bool:
    """Who edits the university's local texts and turns its function switches (T-ADM-1, G-4,
    G-5): the same whole-university system administrators who administer rights."""
    return administers_rights_at.test(user, institution_id)


@rules.predicate
def administers_studies_at(user: User, institution_id: int) -> bool:
    """A study administrator's role at the university, for the whole of it, an org unit or a
    course (T-ADM-3): the guard of the student, exam session, integration and certificate pages,
    and the first check of their services. Which courses and sessions the role covers is
    registration.rules.manages_course_instance and exams.rules.manages_session."""
    return (
        user.is_authenticated
        and user.staff_roles.filter(
            institution_id=institution_id, role=StaffRoleKind.STUDY_ADMIN
        ).exists()
    )


def administers_studies_of(user: User, course) -> bool:
    """A study administrator of the university, of the course's org unit (or one above it) or
    of the course: who decides a teacher's request for rights on it (#12 point 5)."""
    from institutions.tree import covering_unit

    if not user.is_authenticated:
        return False
    covering = Q(org_unit__isnull=True, course__isnull=True) | Q(course_id=course.pk)
    if course.org_unit_id is not None:
        covering |= covering_unit(course.org_unit_id)
    return (
        user.staff_roles.filter(
            covering, institution_id=course.institution_id, role=StaffRoleKind.STUDY_ADMIN
        )
        .distinct()
        .exists()
    )


rules.add_perm("people.administer_rights", administers_rights_at)
rules.add_perm("people.administer_configuration", administers_configuration_at)
rules.add_perm("people.administer_studies", administers_studies_at)
