"""Degrees and certificates of completed education (examen och bevis, S-DEG-1..6).

- `DegreeKind` is what a university awards (a general degree such as Kandidatexamen, a
  professional degree, or a certificate of completed education, kursbevis), with its
  requirements as data (`DegreeRequirement`), which the one rule module `degrees.audit` reads.
- `DegreeCase` (bevisärende) runs from the student's application to a decision: submitted →
  under review → issued or refused. Every move is a `DegreeCaseEvent` (who, when, why);
  `DegreeCaseNote`s are the case officer's internal notes and never reach a student page,
  export or PDF.
- `IssuedDegree` (utfärdat bevis) freezes its content when issued; a withdrawal is a decision
  of its own with a reason. Its digital certificate is a `certificates.Certificate` of kind
  "degree", rendered and sealed by the certificates pipeline.
- `DegreeShare` (delning) lets an employer see the degree with a code and the holder's
  identity number; each use is a `ShareUse` (when, never who).

Only degrees.services and degrees.sharing write these rows.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from catalog.models import Course, EducationLevel
from institutions.models import InstitutionOwned
from ladokportal.i18n import BilingualName, pick
from people.models import Person, User


class MainField(BilingualName, InstitutionOwned):
    """A main field of study (huvudområde), e.g. Mathematics."""

    code = models.CharField(max_length=20)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="mainfield_code_unique")
        ]


class CourseClassification(InstitutionOwned):
    """What a course counts as towards a degree: its main field and whether it is an
    independent project (examensarbete). Its level and credits are the course's own."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="classification")
    main_field = models.ForeignKey(
        MainField, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    independent_project = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.course_id} {self.main_field_id}"


class DegreeCategory(models.TextChoices):
    GENERAL = "general", pgettext_lazy("degree category", "General degree")
    PROFESSIONAL = "professional", pgettext_lazy("degree category", "Professional degree")
    COMPLETED_EDUCATION = (
        "completed_education",
        pgettext_lazy("degree category", "Certificate of completed education"),
    )


class DegreeKind(BilingualName, InstitutionOwned):
    """A degree (or kursbevis) a university awards; name_sv / name_en is its title."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=20)
    category = models.CharField(max_length=20, choices=DegreeCategory.choices)
    # The degree's main field, when it has one (printed on the certificate).
    main_field = models.ForeignKey(
        MainField, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For the diploma supplement (in English): what the degree is.
    description_en = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="degreekind_code_unique")
        ]

    @property
    def is_degree(self) -> bool:
        return self.category != DegreeCategory.COMPLETED_EDUCATION


class RequirementKind(models.TextChoices):
    TOTAL_CREDITS = "total_credits", pgettext_lazy("degree requirement", "Credits in total")
    MAIN_FIELD_CREDITS = (
        "main_field_credits",
        pgettext_lazy("degree requirement", "Credits in the main field"),
    )
    INDEPENDENT_PROJECT = (
        "independent_project",
        pgettext_lazy("degree requirement", "Independent project"),
    )
    REQUIRED_COURSE = "required_course", pgettext_lazy("degree requirement", "Required course")
    EARLIER_DEGREE = "earlier_degree", pgettext_lazy("degree requirement", "Earlier degree")


class DegreeRequirement(InstitutionOwned):
    """One requirement of a degree kind, as data (degrees.audit reads it):

    - total_credits: `credits` in total, at `level` when given;
    - main_field_credits: `credits` in `main_field`, at `level` when given;
    - independent_project: a project of at least `credits`, at `level` and in `main_field`
      when given;
    - required_course: `course` completed;
    - earlier_degree: an issued, not withdrawn degree of kind `earlier_degree`.
    """

    degree_kind = models.ForeignKey(
        DegreeKind, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=20, choices=RequirementKind.choices)
    credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    level = models.CharField(max_length=10, choices=EducationLevel.choices, blank=True)
    main_field = models.ForeignKey(
        MainField, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earlier_degree = models.ForeignKey(
        DegreeKind, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["total_credits", "main_field_credits"])
                | Q(credits__isnull=False),
                name="requirement_credits_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="main_field_credits") | Q(main_field__isnull=False),
                name="requirement_main_field_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="required_course") | Q(course__isnull=False),
                name="requirement_course_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="earlier_degree") | Q(earlier_degree__isnull=False),
                name="requirement_earlier_degree_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.degree_kind_id} {self.kind}"


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("degree case state", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("degree case state", "Under review")
    ISSUED = "issued", pgettext_lazy("degree case state", "Issued")
    REFUSED = "refused", pgettext_lazy("degree case state", "Refused")


OPEN_CASE_STATES = (CaseState.SUBMITTED, CaseState.UNDER_REVIEW)


class Delivery(models.TextChoices):
    DIGITAL = "digital", pgettext_lazy("degree delivery", "Digital (sealed PDF)")
    PAPER = "paper", pgettext_lazy("degree delivery", "On paper, by post")


class DegreeCase(InstitutionOwned):
    """A certificate case (bevisärende, S-DEG-3). Written by degrees.services only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="degree_cases")
    degree_kind = models.ForeignKey(DegreeKind, on_delete=models.PROTECT, related_name="cases")
    courses = models.ManyToManyField(Course, related_name="+")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    officer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The reason the student sees on a refusal.
    decision_reason = models.TextField(blank=True)
    # The application form's one-time token: a second click finds the first case.
    request_key = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="degreecase_number"),
            models.CheckConstraint(
                condition=Q(state__in=CaseState.values), name="degreecase_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES


class CaseAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("degree case action", "Submitted by the student")
    TAKE = "take", pgettext_lazy("degree case action", "Taken for review")
    ISSUE = "issue", pgettext_lazy("degree case action", "Issued")
    REFUSE = "refuse", pgettext_lazy("degree case action", "Refused")
    WITHDRAW = "withdraw", pgettext_lazy("degree case action", "Degree withdrawn")


class DegreeCaseEvent(InstitutionOwned):
    """One move of a case: who, when, from which state to which, and why."""

    case = models.ForeignKey(DegreeCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=CaseAction.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class DegreeCaseNote(InstitutionOwned):
    """An internal note of the case officers: never shown to the student (S-DEG-3)."""

    case = models.ForeignKey(DegreeCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} note {self.pk}"


class IssuedDegree(InstitutionOwned):
    """An issued certificate (utfärdat bevis, S-DEG-2) with its content frozen at the decision:
    holder, degree, main field, date of decision, the courses and results it rests on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(DegreeCase, on_delete=models.PROTECT, related_name="issued")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="issued_degrees")
    degree_kind = models.ForeignKey(DegreeKind, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    decision_date = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The sealed digital degree (S-DEG-6), where the university issues digital degrees.
    document = models.OneToOneField(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_degree",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.degree_kind_id} {self.person_id}"

    @property
    def title(self) -> str:
        return pick(self.content["title"]["sv"], self.content["title"]["en"])

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class DegreeShare(InstitutionOwned):
    """A share of an issued degree (delning, S-DEG-5): a code the student gives to employers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    degree = models.ForeignKey(IssuedDegree, on_delete=models.CASCADE, related_name="shares")
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"share {self.public_id}"

    @property
    def display_code(self) -> str:
        from certificates.codes import display

        return display(self.code)


class ShareUse(InstitutionOwned):
    """One answered look-up of a share (B-5): when, never who."""

    share = models.ForeignKey(DegreeShare, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.share_id} {self.at:%Y-%m-%d %H:%M}"
