"""Who on the staff may act on participations (T-ADM-3): study administrators of the university,
or of the org unit that gives the course. Predicates for views, templates and services alike."""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog.models import CourseInstance
from institutions.tree import covering_unit
from people.models import StaffRoleKind, User

MANAGING_ROLES = (StaffRoleKind.STUDY_ADMIN,)


def _roles(user: User, institution_id: int) -> QuerySet:
    return user.staff_roles.filter(institution_id=institution_id, role__in=MANAGING_ROLES)


@rules.predicate
def manages_course_instance(user: User, instance: CourseInstance) -> bool:
    if not user.is_authenticated:
        return False
    course = instance.course
    covering = Q(org_unit__isnull=True, course__isnull=True) | Q(course_id=course.pk)
    if course.org_unit_id is not None:
        # Without this guard `org_unit_id=None` becomes IS NULL and every course-narrowed role
        # would cover every course that has no org unit.
        covering |= covering_unit(course.org_unit_id)
    return _roles(user, instance.institution_id).filter(covering).exists()


def managed_course_instances(user: User, institution_id: int) -> QuerySet[CourseInstance]:
    """The course instances of a university that `manages_course_instance` allows the user,
    as one queryset (for lists and choices). Same rule, expressed in SQL: a role for the whole
    university, for the course's org unit, or for the course (NULL never matches NULL here)."""
    covering = _roles(user, institution_id).filter(
        Q(org_unit__isnull=True, course__isnull=True)
        | covering_unit(OuterRef("course__org_unit_id"))
        | Q(course_id=OuterRef("course_id"))
    )
    return CourseInstance.objects.filter(institution_id=institution_id).filter(Exists(covering))


rules.add_perm("registration.manage_course_instance", manages_course_instance)
