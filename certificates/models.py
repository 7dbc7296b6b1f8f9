"""Certificates (intyg, S-CERT-1..4): a frozen snapshot of what the student's records said when
the certificate was created, rendered once into a sealed PDF by the worker, verifiable by anyone
who has its check code (B-5).

The snapshot (`content`) is the certificate: the PDF and the public verification page are both
rendered from it and never from the live records, so opening a certificate again gives the very
same document (S-CERT-3). Only certificates.services creates or changes a row; only
certificates.pipeline renders one.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from institutions.models import InstitutionOwned
from people.models import Person, User


class CertificateKind(models.TextChoices):
    EXPECTED_PARTICIPATION = (
        "expected_participation",
        pgettext_lazy("certificate kind", "Certificate of expected participation"),
    )
    REGISTRATION = "registration", pgettext_lazy("certificate kind", "Registration certificate")
    TRANSCRIPT = "transcript", pgettext_lazy("certificate kind", "Transcript of records")
    NATIONAL_TRANSCRIPT = (
        "national_transcript",
        pgettext_lazy("certificate kind", "National transcript of records"),
    )
    # A digital degree certificate (S-DEG-6): created by degrees.services through
    # certificates.services.create_document, never from the certificate form.
    DEGREE = "degree", pgettext_lazy("certificate kind", "Degree certificate")


# What a person may ask for on the certificate form: every kind but the degree certificate, which
# only a degree decision creates.
REQUESTABLE_KINDS = [k for k in CertificateKind if k != CertificateKind.DEGREE]


class CertificateLanguage(models.TextChoices):
    SWEDISH = "sv", pgettext_lazy("certificate language", "Swedish")
    ENGLISH = "en", pgettext_lazy("certificate language", "English")


class CertificateState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("certificate state", "Waiting to be created")
    RENDERING = "rendering", pgettext_lazy("certificate state", "Being created")
    READY = "ready", pgettext_lazy("certificate state", "Ready")
    FAILED = "failed", pgettext_lazy("certificate state", "Could not be created")


class RenderStep(models.TextChoices):
    """How far the worker has come with a certificate being created (the progress shown)."""

    WAITING = "", pgettext_lazy("render step", "Waiting for a free worker")
    LAYOUT = "layout", pgettext_lazy("render step", "Laying out the pages")
    SEALING = "sealing", pgettext_lazy("render step", "Sealing the document")
    STORING = "storing", pgettext_lazy("render step", "Storing the document")


class Certificate(InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(max_length=30, choices=CertificateKind.choices)
    language = models.CharField(max_length=2, choices=CertificateLanguage.choices)
    # What the person asked for (date range, flags), as validated by certificates.options.
    options = models.JSONField(default=dict, blank=True)
    # The frozen content (certificates.snapshots); never changed after creation.
    content = models.JSONField()
    check_code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The student, or the study administrator who created it on the student's behalf.
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    valid_until = models.DateField()
    # The form's one-time token: a second click on "Create" finds the first certificate.
    request_key = models.UUIDField(unique=True)

    state = models.CharField(
        max_length=10, choices=CertificateState.choices, default=CertificateState.QUEUED
    )
    step = models.CharField(max_length=10, choices=RenderStep.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # While a worker renders, no other worker starts on the same row until this has passed.
    lease_until = models.DateTimeField(null=True, blank=True)
    # What went wrong, for staff and the logs; the student sees a plain message.
    failure = models.CharField(max_length=500, blank=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    pdf = models.FileField(upload_to="certificates/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # A document its issuer has revoked (a withdrawn degree, S-DEG-5): it verifies as revoked.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "valid_until"], name="certificate_person_valid")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(sha256="") & ~Q(pdf="")),
                name="certificate_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["sv", "en"]), name="certificate_language_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.check_code}"

    @property
    def display_code(self) -> str:
        from certificates.codes import display

        return display(self.check_code)

    @property
    def is_ready(self) -> bool:
        return self.state == CertificateState.READY

    @property
    def distinctions(self) -> list[str]:
        """What tells this certificate from another of its kind in a list: the period or the
        options it was made with (#21 point 5)."""
        options = self.options or {}
        said: list[str] = []
        if self.kind == CertificateKind.REGISTRATION:
            first, last = options.get("date_from"), options.get("date_to")
            said.append(
                _("Registrations %(first)s – %(last)s") % {"first": first, "last": last}
                if first and last
                else _("Current registrations")
            )
            if options.get("supervisors"):
                said.append(_("with supervisors"))
            if options.get("study_activity"):
                said.append(_("with study activity"))
        elif self.kind in (CertificateKind.TRANSCRIPT, CertificateKind.NATIONAL_TRANSCRIPT):
            said.append(
                _("Completed courses only") if options.get("completed_only") else _("All courses")
            )
            said.append(
                _("with modules") if options.get("include_modules", True) else _("without modules")
            )
            if options.get("include_failed"):
                said.append(_("with failed attempts"))
        return said

    @property
    def in_progress(self) -> bool:
        return self.state in (CertificateState.QUEUED, CertificateState.RENDERING)


class CheckMethod(models.TextChoices):
    CODE = "code", pgettext_lazy("verification method", "Check code entered")
    LINK = "link", pgettext_lazy("verification method", "Link or QR code followed")
    UPLOAD = "upload", pgettext_lazy("verification method", "PDF uploaded and compared")


class CertificateCheck(InstitutionOwned):
    """One use of a certificate's verification (B-5): the student sees when and how their
    document was checked. Nothing about who checked is kept."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=10, choices=CheckMethod.choices)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["certificate", "-at"], name="certificate_check_recent")]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.method} {self.at:%Y-%m-%d %H:%M}"
