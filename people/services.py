"""What persons do with their own records. Each function is one action: it validates, writes in
one transaction and schedules side effects after commit."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Course
from institutions.models import Institution, OrgUnit
from ladokportal.errors import DomainError, NotAllowed
from notifications.models import NotificationKind
from notifications.services import notify
from people import identity
from people.models import (
    Person,
    RightsRequest,
    RightsRequestState,
    StaffRole,
    StaffRoleEvent,
    StaffRoleEventKind,
    StaffRoleKind,
    User,
)
from people.rules import ADMINISTERS_RIGHTS


class ContactDetailsError(DomainError):
    """A change of contact details that cannot be made; the message is fit to show."""


# The fields a person may change about themselves (S-CONT-2, S-CONT-3). The population-register
# address is deliberately absent: it comes from the register only.
CONTACT_FIELDS = (
    "email",
    "phone",
    "temporary_care_of",
    "temporary_street",
    "temporary_postal_code",
    "temporary_city",
    "temporary_country",
    "temporary_valid_until",
)


def update_contact_details(actor: User, *, person: Person, changes: dict) -> Person:
    """Change a person's own contact details. Unknown or read-only fields are refused whole."""
    if actor.person_id != person.pk:
        raise NotAllowed(_("A person changes only their own contact details."))
    refused = set(changes) - set(CONTACT_FIELDS)
    if refused:
        raise ContactDetailsError(
            f"Fields that cannot be changed here: {', '.join(sorted(refused))}"
        )
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        old_email = locked.email
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.contact_updated_at = timezone.now()
        locked.save(update_fields=[*changes, "contact_updated_at"])
        if "email" in changes:
            _login_address_follows(locked)
        if old_email and old_email.lower() != locked.email.lower():
            # Tell the old address, so a hijacked session cannot quietly redirect mail.
            notify(
                locked,
                NotificationKind.EMAIL_CHANGED,
                to_email=old_email,
                context={"new_email": locked.email},
            )
    return locked


def _login_address_follows(person: Person) -> None:
    """The login address of the person's accounts is their contact e-mail: there is no page of
    its own to keep it elsewhere (#12 point 6)."""
    from allauth.account.models import EmailAddress

    User.objects.filter(person=person).update(email=person.email)
    EmailAddress.objects.filter(user__person=person).delete()


def set_language(actor: User, *, language: str) -> None:
    """Remember the person's language for what is sent to them (e-mail, PDF)."""
    if actor.person_id and language in ("sv", "en"):
        Person.objects.filter(pk=actor.person_id).exclude(language=language).update(
            language=language
        )


def person_for_identity_claim(raw: str) -> Person | None:
    """The Person an identity provider's identity-number claim names, if any."""
    try:
        canonical = identity.normalise(raw)
    except ValidationError:
        return None
    return Person.objects.filter(identity_number=canonical).first()


def person_for_birth_date_and_local_number(birth_date: str, local_number: str) -> Person | None:
    """The Person without a Swedish identity number whom a birth date (YYYYMMDD, as
    schacDateOfBirth carries it) and a local number name together (S-CONT-4)."""
    import datetime

    local_number = local_number.strip()
    try:
        born = datetime.date.fromisoformat(birth_date.strip())
    except ValueError:
        return None
    if not local_number:
        return None
    return Person.objects.filter(
        identity_number__isnull=True, birth_date=born, local_number__iexact=local_number
    ).first()


def user_for_person(person: Person) -> User:
    """The person's login account, created on their first external login."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(
            person=person,
            defaults={"username": f"p-{person.public_id.hex[:16]}", "email": person.email},
        )
    return user


# --- Staff rights (T-ROLE-1) -----------------------------------------------------------------


class RoleError(DomainError):
    """A grant or revocation of a staff right that cannot be made; the message is fit to show."""


def _lock_administrators(actor: User, institution_id: int) -> None:
    """Lock the rows of every rights administrator of the university, in one order, and refuse
    an actor who holds none. Grants and revocations at one university so run one after the
    other: two administrators revoking each other at the same moment cannot leave nobody."""
    holders = (
        StaffRole.objects.select_for_update()
        .filter(ADMINISTERS_RIGHTS, institution_id=institution_id)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if actor.pk is None or actor.pk not in list(holders):
        raise NotAllowed(_("Only a university's system administrators grant and revoke rights."))


def _scope_refusal(
    *, role: str, institution_id: int, org_unit: OrgUnit | None, course: Course | None
) -> str | None:
    """Why a right cannot have this role and scope at this university, or None."""
    if role not in StaffRoleKind.values:
        return _("Choose one of the roles.")
    if org_unit is not None and course is not None:
        return _("Narrow a right to an org unit or to a course, not both.")
    if org_unit is not None and org_unit.institution_id != institution_id:
        return _("That org unit belongs to another university.")
    if course is not None and course.institution_id != institution_id:
        return _("That course belongs to another university.")
    if role == StaffRoleKind.SYSTEM_ADMIN and (org_unit is not None or course is not None):
        # A narrowed system administrator's row would administer nothing (people.rules).
        return _(
            "A system administrator's right covers the whole university: choose neither an "
            "org unit nor a course."
        )
    return None


def _record(kind: StaffRoleEventKind, row: StaffRole, actor: User) -> None:
    StaffRoleEvent.objects.create(
        institution_id=row.institution_id,
        kind=kind,
        user_id=row.user_id,
        role=row.role,
        org_unit_id=row.org_unit_id,
        course_id=row.course_id,
        actor=actor,
    )


def grant_role(
    actor: User,
    *,
    user: User,
    role: str,
    institution: Institution,
    org_unit: OrgUnit | None = None,
    course: Course | None = None,
) -> StaffRole:
    """Give `user` a right at the university, for the whole of it or narrowed to one org unit or
    one course, and record who granted it. A right the user already holds is refused."""
    with transaction.atomic():
        _lock_administrators(actor, institution.pk)
        refusal = _scope_refusal(
            role=role, institution_id=institution.pk, org_unit=org_unit, course=course
        )
        if refusal:
            raise RoleError(refusal)
        try:
            # The unique constraints decide, not a look beforehand that a parallel grant could
            # overtake; the savepoint keeps the outer transaction usable after the refusal.
            with transaction.atomic():
                row = StaffRole.objects.create(
                    user=user,
                    institution=institution,
                    role=role,
                    org_unit=org_unit,
                    course=course,
                    granted_by=actor,
                )
        except IntegrityError:
            raise RoleError(
                _("%(name)s already holds this right.") % {"name": user.display_name}
            ) from None
        _record(StaffRoleEventKind.GRANTED, row, actor)
    return row


def revocation_refusal(actor: User, role_row: StaffRole) -> str | None:
    """Why the actor may not revoke this row, or None; the confirmation page asks the same."""
    if role_row.user_id == actor.pk and role_row.administers_rights:
        # Lock-out: without this row the actor could not even undo the mistake.
        return _(
            "You cannot revoke your own system administrator's right. Ask another system "
            "administrator of the university."
        )
    return None


def revoke_role(actor: User, *, role_row: StaffRole) -> None:
    """Take a right away; the grant and the revocation stay in StaffRoleEvent."""
    with transaction.atomic():
        _lock_administrators(actor, role_row.institution_id)
        refusal = revocation_refusal(actor, role_row)
        if refusal:
            raise RoleError(refusal)
        deleted, _counts = StaffRole.objects.filter(pk=role_row.pk).delete()
        if not deleted:
            raise RoleError(_("This right has already been revoked."))
        _record(StaffRoleEventKind.REVOKED, role_row, actor)


# --- Requests for rights (#12 point 5, seed 004) -------------------------------------------------


def request_reporting_right(actor: User, *, course: Course, reason: str) -> RightsRequest:
    """A teacher (any staff member of the course's university) asks for reporting rights on
    the course; a study administrator of the course decides. In the rights history at once."""
    from results.rules import Rights

    if not actor.staff_roles.filter(institution_id=course.institution_id).exists():
        raise NotAllowed(_("Only the university's staff ask for rights on its courses."))
    if Rights.load(actor, course.institution_id).may_report(course):
        raise RoleError(_("You already report results on this course."))
    reason = reason.strip()
    if len(reason) < 5:
        raise RoleError(_("Say in a few words why you need the right."))
    try:
        with transaction.atomic():
            request = RightsRequest.objects.create(
                institution_id=course.institution_id,
                user=actor,
                course=course,
                role=StaffRoleKind.REPORTER,
                reason=reason,
            )
            _request_event(request, StaffRoleEventKind.REQUESTED, actor)
    except IntegrityError:
        raise RoleError(
            _("You have already asked for this right; it waits for a decision.")
        ) from None
    return request


def decide_rights_request(actor: User, *, request: RightsRequest, approve: bool) -> RightsRequest:
    """A study administrator of the course grants the right asked for, or refuses it; both in
    the rights history. A request already decided (two administrators at once) is refused."""
    from people.rules import administers_studies_of

    if not administers_studies_of(actor, request.course):
        raise NotAllowed(_("Only the course's study administrators decide requests for rights."))
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RightsRequestState.PENDING:
            raise RoleError(_("The request has already been decided."))
        locked.state = RightsRequestState.APPROVED if approve else RightsRequestState.REFUSED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        if approve:
            StaffRole.objects.get_or_create(
                user=locked.user,
                institution_id=locked.institution_id,
                role=locked.role,
                course=locked.course,
                defaults={"granted_by": actor},
            )
        _request_event(
            locked, StaffRoleEventKind.GRANTED if approve else StaffRoleEventKind.REFUSED, actor
        )
    return locked


def _request_event(request: RightsRequest, kind: str, actor: User) -> None:
    StaffRoleEvent.objects.create(
        institution_id=request.institution_id,
        kind=kind,
        user=request.user,
        role=request.role,
        course=request.course,
        actor=actor,
    )
