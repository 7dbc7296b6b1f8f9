"""Who on the staff runs activity sessions (T-ADM-3): study administrators of the university,
or of the org unit giving one of the session's courses. Whether someone is a study administrator
anywhere at the university is people.rules.administers_studies_at."""

import rules
from django.db.models import Q

from exams.models import ActivitySession
from institutions.tree import covering_unit
from people.models import StaffRoleKind, User


@rules.predicate
def manages_session(user: User, session: ActivitySession) -> bool:
    if not user.is_authenticated:
        return False
    courses = session.course_instances.values("course")
    org_units = session.course_instances.values("course__org_unit")
    return user.staff_roles.filter(
        Q(org_unit__isnull=True, course__isnull=True)
        | covering_unit(org_units, lookup="in")
        | Q(course__in=courses),
        institution_id=session.institution_id,
        role=StaffRoleKind.STUDY_ADMIN,
    ).exists()


rules.add_perm("exams.manage_session", manages_session)
