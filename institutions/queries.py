"""Reads about universities, shaped for the pages and the middleware."""

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from institutions.models import Institution, LocalText, LocalTextSlot


def institutions_for_request(request: HttpRequest) -> list[Institution]:
    """The universities the logged-in person may see in the part of the portal they are in:
    those where they have staff roles in the staff web, those where they study elsewhere.
    One query, settings included."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if request.path.startswith("/staff/"):
        return list(staff_institutions(user.pk))
    if user.person_id is None:
        return []
    return list(student_institutions(user.person_id))


def student_institutions(person_id: int):
    from registration.models import CourseParticipation, ProgrammeParticipation

    # The participation tables are scoped; these subqueries deliberately look across every
    # university, because they only ask where the person has records.
    course = CourseParticipation.objects.with_scopes_disabled().filter(
        person_id=person_id, institution=OuterRef("pk")
    )
    programme = ProgrammeParticipation.objects.with_scopes_disabled().filter(
        person_id=person_id, institution=OuterRef("pk")
    )
    return (
        Institution.objects.filter(Q(Exists(course)) | Q(Exists(programme)))
        .select_related("settings")
        .order_by("name_sv")
    )


def staff_institutions(user_id: int):
    """With `user_manages_students`: whether the user is a study administrator there (the staff
    menu's "Students" link), and `user_reports` / `user_certifies` for its results links, read in
    the same query; registration.rules and results.rules decide the rights."""
    from people.models import StaffRole, StaffRoleKind
    from registration.rules import MANAGING_ROLES
    from results.rules import CERTIFYING_ROLES, REPORTING_ROLES

    roles = StaffRole.objects.filter(user_id=user_id, institution=OuterRef("pk"))
    return (
        Institution.objects.filter(Exists(roles))
        .annotate(
            user_manages_students=Exists(roles.filter(role__in=MANAGING_ROLES)),
            user_reports=Exists(roles.filter(role__in=REPORTING_ROLES)),
            user_certifies=Exists(roles.filter(role__in=CERTIFYING_ROLES)),
            user_administers_rights=Exists(
                roles.filter(
                    role=StaffRoleKind.SYSTEM_ADMIN,
                    org_unit__isnull=True,
                    course__isnull=True,
                )
            ),
        )
        .select_related("settings")
        .order_by("name_sv")
    )


def local_text(institution: Institution | None, slot: LocalTextSlot) -> LocalText | None:
    if institution is None:
        return None
    return LocalText.objects.filter(institution=institution, slot=slot).first()
