"""Reads about universities, shaped for the pages and the middleware."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from institutions.models import (
    Institution,
    InstitutionSettings,
    LocalText,
    LocalTextSlot,
    LocalTextVersion,
    SettingsChange,
)
from ladokportal import clock


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
            user_handles_credits=Exists(roles.filter(role=StaffRoleKind.CREDIT_OFFICER)),
            user_administers_fees=Exists(roles.filter(role=StaffRoleKind.FEE_ADMIN)),
            user_handles_degrees=Exists(roles.filter(role=StaffRoleKind.DEGREE_OFFICER)),
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
    """The slot's text as students see it now (G-5): its newest version whose publication has
    come, or the slot's own body when it has no such version. One query."""
    if institution is None:
        return None
    shown = LocalTextVersion.objects.filter(
        text=OuterRef("pk"), visible_from__lte=clock.now()
    ).order_by("-visible_from", "-pk")
    text = (
        LocalText.objects.filter(institution=institution, slot=slot)
        .annotate(
            shown_sv=Coalesce(Subquery(shown.values("body_sv")[:1]), F("body_sv")),
            shown_en=Coalesce(Subquery(shown.values("body_en")[:1]), F("body_en")),
        )
        .first()
    )
    if text is not None:
        text.body_sv, text.body_en = text.shown_sv, text.shown_en
    return text


def local_text_slots(institution: Institution) -> list[dict]:
    """Every slot with where students see it, the version shown now, and the newest waiting
    for its publication date (the local texts page, T-ADM-1). Two queries."""
    from institutions.configuration import slot_place

    versions = list(
        LocalTextVersion.objects.filter(institution=institution)
        .select_related("text", "created_by")
        .order_by("-visible_from", "-pk")
    )
    moment = clock.now()
    texts = {text.slot: text for text in LocalText.objects.filter(institution=institution)}
    rows = []
    for slot in LocalTextSlot:
        mine = [v for v in versions if v.text.slot == slot]
        shown = next((v for v in mine if v.visible_from <= moment), None)
        waiting = next((v for v in reversed(mine) if v.visible_from > moment), None)
        text = texts.get(slot)
        rows.append(
            {
                "slot": slot,
                "label": slot.label,
                "place": slot_place(slot),
                "shown": shown,
                "waiting": waiting,
                "has_text": bool(shown and (shown.body_sv or shown.body_en))
                or bool(shown is None and text and (text.body_sv or text.body_en)),
            }
        )
    return rows


def local_text_editor(institution: Institution, slot: str) -> tuple[LocalText | None, list]:
    """The slot's row as students see it now and all its versions, newest first, each marked
    shown (now), waiting (publication date to come) or earlier. Two queries."""
    text = local_text(institution, slot)
    versions = list(
        LocalTextVersion.objects.filter(institution=institution, text__slot=slot)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    moment = clock.now()
    shown = max(
        (v for v in versions if v.visible_from <= moment),
        key=lambda v: (v.visible_from, v.pk),
        default=None,
    )
    for version in versions:
        version.is_shown = version is shown
        version.is_waiting = version.visible_from > moment
    return text, versions


def switches(institution: Institution) -> list[dict]:
    """Every function switch with its value, its one sentence and its latest change (the
    switches page, G-4). Two queries."""
    from institutions.configuration import SETTING_DETAILS, switch_explanation, switch_fields

    settings, _created = InstitutionSettings.objects.get_or_create(institution=institution)
    latest: dict[str, SettingsChange] = {}
    for change in SettingsChange.objects.filter(institution=institution).select_related(
        "changed_by"
    ):
        latest.setdefault(change.field, change)
    return [
        {
            "name": field.name,
            "label": field.verbose_name,
            "explanation": switch_explanation(field.name),
            "value": getattr(settings, field.name),
            "change": latest.get(field.name),
            "details": [
                {
                    "label": InstitutionSettings._meta.get_field(name).verbose_name,
                    "explanation": explanation,
                    "value": getattr(settings, name),
                }
                for name, explanation in SETTING_DETAILS.get(field.name, {}).items()
            ],
        }
        for field in switch_fields()
    ]
