"""Accounts, persons and staff roles.

A Person is national: the same contact details apply at every university (S-CONT-2). A User is
a way to log in; students, alumni and staff each have one. Staff rights come from StaffRole rows.
"""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people import identity


class Person(models.Model):
    """Someone the system keeps records for. Services: people.services.update_contact_details."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Canonical 12 digits YYYYMMDDNNNN (people.identity); null when the person has none.
    identity_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    birth_date = models.DateField()
    # Persons without a Swedish number are told apart by birth date and a local number (S-CONT-4).
    local_number = models.CharField(max_length=10, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The population-register address (folkbokföringsadress): read from the register, never
    # edited in the portal (S-CONT-3).
    registered_street = models.CharField(max_length=200, blank=True)
    registered_postal_code = models.CharField(max_length=10, blank=True)
    registered_city = models.CharField(max_length=100, blank=True)
    # A temporary or foreign postal address the person gives themselves.
    temporary_care_of = models.CharField(_("c/o"), max_length=200, blank=True)
    temporary_street = models.CharField(_("street address"), max_length=200, blank=True)
    temporary_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    temporary_city = models.CharField(_("city"), max_length=100, blank=True)
    temporary_country = models.CharField(_("country"), max_length=100, blank=True)
    temporary_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The language last chosen in the portal: e-mails and PDFs are written in it.
    language = models.CharField(max_length=2, default="sv", choices=[("sv", "sv"), ("en", "en")])
    contact_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(identity_number="")
                & (models.Q(identity_number__isnull=False) | ~models.Q(local_number="")),
                name="person_has_an_identifier",
            ),
            # Only the canonical form is ever stored (people.identity.normalise).
            models.CheckConstraint(
                condition=models.Q(identity_number__isnull=True)
                | models.Q(identity_number__regex=r"^[0-9]{12}$"),
                name="person_identity_number_canonical",
            ),
            models.UniqueConstraint(
                fields=["birth_date", "local_number"],
                condition=~models.Q(local_number=""),
                name="person_local_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_identity_number(self) -> bool:
        return bool(self.identity_number)

    @property
    def display_identifier(self) -> str:
        """YYYYMMDD-XXXX, or the birth date and local number for someone without one."""
        if self.identity_number:
            return identity.display(self.identity_number)
        return f"{self.birth_date:%Y%m%d}-{self.local_number}"

    @property
    def masked_identifier(self) -> str:
        """For lists: the last four characters hidden."""
        return self.display_identifier[:-4] + "****"

    @property
    def has_registered_address(self) -> bool:
        return bool(self.registered_street or self.registered_city)


class User(AbstractUser):
    """A login. Linked to at most one Person; staff-only accounts may have none."""

    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        """The person's name where the account has a Person, else the account's own name, else
        the username (staff-only accounts may have neither)."""
        if self.person is not None:
            return self.person.full_name
        return self.get_full_name() or self.username


class StaffRoleKind(models.TextChoices):
    REPORTER = "reporter", pgettext_lazy("staff role", "Reporter")
    CERTIFIER = "certifier", pgettext_lazy("staff role", "Examiner (certifier)")
    STUDY_ADMIN = "study_admin", pgettext_lazy("staff role", "Study administrator")
    SYSTEM_ADMIN = "system_admin", pgettext_lazy("staff role", "System administrator")
    # Case officers of the degree, credit-transfer and tuition-fee functions: each handles the
    # cases of one kind at its university and nothing else.
    DEGREE_OFFICER = "degree_officer", pgettext_lazy("staff role", "Degree case officer")
    CREDIT_OFFICER = "credit_officer", pgettext_lazy("staff role", "Credit transfer case officer")
    FEE_ADMIN = "fee_admin", pgettext_lazy("staff role", "Fee administrator")


class StaffRole(models.Model):
    """A right of one user at one institution, optionally narrowed to an org unit or a course.
    Granted by system administrators; read through each app's rules.py."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=StaffRoleKind.choices)
    org_unit = models.ForeignKey(
        "institutions.OrgUnit", null=True, blank=True, on_delete=models.CASCADE
    )
    course = models.ForeignKey("catalog.Course", null=True, blank=True, on_delete=models.CASCADE)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_unit__isnull=True) | models.Q(course__isnull=True),
                name="staffrole_one_narrowing",
            ),
            # One row per right: three partial indexes because NULLs are distinct in SQL.
            models.UniqueConstraint(
                fields=["user", "institution", "role"],
                condition=models.Q(org_unit__isnull=True, course__isnull=True),
                name="staffrole_unique_institution_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "institution", "role", "org_unit"],
                condition=models.Q(org_unit__isnull=False),
                name="staffrole_unique_org_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "institution", "role", "course"],
                condition=models.Q(course__isnull=False),
                name="staffrole_unique_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.institution_id}"

    @property
    def administers_rights(self) -> bool:
        """Whether this row lets its holder grant and revoke rights at its university: a system
        administrator's role for the whole university (people.rules.administers_rights_at)."""
        return (
            self.role == StaffRoleKind.SYSTEM_ADMIN
            and self.org_unit_id is None
            and self.course_id is None
        )


class StaffRoleEventKind(models.TextChoices):
    GRANTED = "granted", pgettext_lazy("staff role event", "Granted")
    REVOKED = "revoked", pgettext_lazy("staff role event", "Revoked")
    # A teacher's request for a right and its refusal (#12 point 5); an approval is a grant.
    REQUESTED = "requested", pgettext_lazy("staff role event", "Requested")
    REFUSED = "refused", pgettext_lazy("staff role event", "Request refused")


class StaffRoleEvent(models.Model):
    """One grant or revocation of a StaffRole (T-ROLE-1), kept after the role itself is deleted:
    who changed whose right, at which university, for which scope, and when. The record of who
    could report and certify on a given day. Written only by people.services.grant_role and
    revoke_role; never changed or deleted (every foreign key protects it)."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=StaffRoleEventKind.choices)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=StaffRoleKind.choices)
    org_unit = models.ForeignKey(
        "institutions.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        "catalog.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["institution", "-at"], name="staffroleevent_inst_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.role} to {self.user_id} by {self.actor_id} at {self.at}"


class RightsRequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("rights request", "Waiting")
    APPROVED = "approved", pgettext_lazy("rights request", "Approved")
    REFUSED = "refused", pgettext_lazy("rights request", "Refused")


class RightsRequest(models.Model):
    """A teacher's request for reporting rights on one course (#12 point 5, seed 004), decided by
    a study administrator of the course. Written by people.services.request_reporting_right and
    decide_rights_request, each with its StaffRoleEvent in the rights history."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="rights_requests")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=StaffRoleKind.choices)
    reason = models.TextField()
    state = models.CharField(
        max_length=10, choices=RightsRequestState.choices, default=RightsRequestState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "role"],
                condition=models.Q(state="pending"),
                name="rightsrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks {self.role} on {self.course_id}: {self.state}"
