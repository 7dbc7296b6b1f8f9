"""Credit transfer (tillgodoräknande, S-CRED-1..3): a student's case at one university, what it
asks to have credited, the attachments that support it, its history and the case officers'
internal notes.

A case is written only by credits.services (start_draft, save_item, remove_item,
add_attachment, submit, take, add_note, decide_item); every move writes a CaseEvent in the same
transaction. A decision to credit an item creates an ordinary certified Result of source
"credit" (results.models.ResultSource.CREDIT) on the target module or course, linked from the
item, so every results query (My education, transcripts, the degree audit) counts it.
Internal notes (CaseNote) are never read by a student page, a document or an export.
"""

import uuid

from django.db import models
from django.utils.translation import pgettext_lazy

from catalog.models import Course, Grade, Module
from institutions.models import InstitutionOwned
from people.models import Person, User


class CaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("credit case status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("credit case status", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("credit case status", "Under review")
    PARTLY_DECIDED = "partly_decided", pgettext_lazy("credit case status", "Partly decided")
    DECIDED = "decided", pgettext_lazy("credit case status", "Decided")


class CaseCounter(InstitutionOwned):
    """The last case number given at a university in a year (locked while a number is taken)."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.year}: {self.last}"


class CreditCase(InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credit_cases")
    # Given when submitted: TG-<year>-<serial>, unique at the university.
    number = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    case_officer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"],
                condition=~models.Q(number=""),
                name="credit_case_number_unique",
            ),
            models.UniqueConstraint(
                fields=["institution", "person"],
                condition=models.Q(status="draft"),
                name="credit_case_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="credit_case_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == CaseStatus.DRAFT


class ItemKind(models.TextChoices):
    EDUCATION = "education", pgettext_lazy("credit item kind", "Earlier education")
    EXPERIENCE = "experience", pgettext_lazy("credit item kind", "Other experience (e.g. work)")


class CreditSystem(models.TextChoices):
    ECTS = "ects", pgettext_lazy("credit system", "ECTS credits")
    HP = "hp", pgettext_lazy("credit system", "Swedish higher education credits (hp)")
    OTHER = "other", pgettext_lazy("credit system", "Other")


class Scope(models.TextChoices):
    WHOLE = "whole", pgettext_lazy("credit scope", "Whole")
    PARTIAL = "partial", pgettext_lazy("credit scope", "Partial")


class Outcome(models.TextChoices):
    CREDITED = "credited", pgettext_lazy("credit outcome", "Credited")
    REFUSED = "refused", pgettext_lazy("credit outcome", "Refused")


class CreditItem(InstitutionOwned):
    """One thing to be credited: what the student did elsewhere, and what it should count as
    here (a module, or the whole course when `target_module` is empty), with its decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(CreditCase, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.EDUCATION)
    # Earlier education.
    university = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    course_name = models.CharField(max_length=200, blank=True)
    credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    credit_system = models.CharField(max_length=10, choices=CreditSystem.choices, blank=True)
    grade_text = models.CharField(max_length=50, blank=True)
    grading_scale = models.CharField(max_length=100, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # A result fetched through Emrex that the item rests on (S-EMREX-1): its signed document is
    # the evidence, nothing needs uploading.
    foreign_merit = models.ForeignKey(
        "emrex.ForeignMerit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Other experience, or anything the student wants to add.
    description = models.TextField(blank=True)
    # The target at this university.
    # Chosen in the application's second step; required before the case is submitted.
    target_course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.WHOLE)
    # The decision (credits.services.decide_item).
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    credited_credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField(blank=True)
    appeal_instruction = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The credited result a decision to credit created (none for a refusal or a partial credit).
    result = models.OneToOneField(
        "results.Result",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_item",
    )

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["", *Outcome.values]),
                name="credit_item_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(decided_at__isnull=False),
                name="credit_item_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.course_name or self.kind}"

    @property
    def decided(self) -> bool:
        return bool(self.outcome)

    @property
    def target(self):
        return self.target_module or self.target_course

    @property
    def target_credits(self):
        return self.target_module.credits if self.target_module else self.target_course.credits

    @property
    def basis(self) -> str:
        """What the credit rests on, in one line (transcripts, the decision)."""
        if self.kind == ItemKind.EXPERIENCE:
            return self.description[:200]
        parts = [self.course_name, self.university, self.country]
        what = ", ".join(p for p in parts if p)
        if self.credits is not None:
            what += f" ({self.credits} {self.get_credit_system_display() or ''})".rstrip()
        return what


class CaseAction(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("credit case event", "Submitted")
    TAKEN = "taken", pgettext_lazy("credit case event", "Taken for review")
    CREDITED = "credited", pgettext_lazy("credit case event", "Item credited")
    REFUSED = "refused", pgettext_lazy("credit case event", "Item refused")
    DECIDED = "decided", pgettext_lazy("credit case event", "Case decided")


class CaseEvent(InstitutionOwned):
    """One move of a case, written by credits.services; never edited."""

    case = models.ForeignKey(CreditCase, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        CreditItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=12, choices=CaseAction.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"


class CaseNote(InstitutionOwned):
    """An internal note of the case officers. Never shown to the student (S-CRED-1)."""

    case = models.ForeignKey(CreditCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: note {self.pk}"


class AttachmentKind(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class CaseAttachment(InstitutionOwned):
    """A certificate or syllabus supporting a case. The file lives in the attachment store
    (settings.ATTACHMENT_DIR, outside the web root) under a random name; only the student and
    the university's case officers can read it, through credits.queries."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(CreditCase, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=20, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=100, unique=True)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
