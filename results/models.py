"""Results (resultat): a grade on a module or on the whole course, for one student within a
course instance, and everything that happened to it (T-REP, T-CERT, T-REM, B-3).

States follow results/workflow.py; only results.services changes a Result, and every change
writes a ResultEvent in the same transaction. A certified result is never edited or deleted: it is
removed by a decision of its own and stays on record (T-REM-1).
"""

import uuid

from django.db import models
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstance, Grade, Module
from exams.models import ActivitySession
from institutions.models import InstitutionOwned
from ladokportal.i18n import BilingualName
from people.models import Person, User


class ResultState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("result state", "Draft")
    READY = "ready", pgettext_lazy("result state", "Marked as ready")
    CERTIFIED = "certified", pgettext_lazy("result state", "Certified")
    # Still certified and valid until the examiner certifies the removal (T-REM-1).
    REMOVAL_PREPARED = "removal_prepared", pgettext_lazy("result state", "Prepared for removal")
    REMOVED = "removed", pgettext_lazy("result state", "Removed")


# What a student may ever see (S-EDU-3, B-6): the formal decision has been taken and not undone.
VISIBLE_TO_STUDENT = (ResultState.CERTIFIED, ResultState.REMOVAL_PREPARED)
# Not yet decided: at most one such result per student, module and course instance.
OPEN_STATES = (ResultState.DRAFT, ResultState.READY)


class ResultSource(models.TextChoices):
    PAGE = "page", pgettext_lazy("result source", "Reporting page")
    FILE = "file", pgettext_lazy("result source", "File upload")
    API = "api", pgettext_lazy("result source", "Exam system (API)")
    CREDIT = "credit", pgettext_lazy("result source", "Credit transfer")


class AnnotationKind(models.TextChoices):
    """Result annotation columns (resultatnoteringar, T-REP-2); at most one of each per module."""

    POINTS = "points", pgettext_lazy("annotation", "Examination points")
    TITLE = "title", pgettext_lazy("annotation", "Title of the thesis")
    TEXT = "text", pgettext_lazy("annotation", "Note")


class AnnotationColumn(InstitutionOwned):
    """A column shown on the reporting page of one module (or of the whole course when module is
    null). The values live on Result.annotations under the column's kind."""

    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.CASCADE, related_name="annotation_columns"
    )
    kind = models.CharField(max_length=10, choices=AnnotationKind.choices)
    # Shown to the student with the result (a thesis title is; internal notes are not).
    shown_to_student = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "module", "kind"],
                condition=models.Q(module__isnull=False),
                name="annotation_column_unique_on_module",
            ),
            models.UniqueConstraint(
                fields=["course", "kind"],
                condition=models.Q(module__isnull=True),
                name="annotation_column_unique_on_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.module_id or self.course_id}"


class Result(InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="results")
    course_instance = models.ForeignKey(
        CourseInstance, on_delete=models.PROTECT, related_name="results"
    )
    # Null: the grade on the whole course (slutbetyg).
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    examination_date = models.DateField()
    annotations = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=ResultState.choices, default=ResultState.DRAFT)
    source = models.CharField(max_length=10, choices=ResultSource.choices)
    activity_session = models.ForeignKey(
        ActivitySession, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    # Optimistic locking: every change adds one; a save based on an older number is refused.
    version = models.PositiveIntegerField(default=1)

    reported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Mark as ready (T-REP-3): the grading teacher (rättande lärare) and whom to notify.
    graded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notify = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The grade and date as they were marked ready: the preview flags a later change (B-4).
    ready_grade = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ready_date = models.DateField(null=True, blank=True)
    certified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=500, blank=True)
    removal_prepared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # S-HOME-1: a newly certified result is announced on the start page once.
    seen_by_student_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["examination_date", "id"]
        indexes = [
            models.Index(fields=["course_instance", "module", "state"]),
            models.Index(fields=["person", "state"]),
            models.Index(fields=["activity_session", "state"]),
        ]
        constraints = [
            # One undecided result per student and module (or course) on an instance, so two
            # teachers reporting at once cannot create two drafts. Two indexes: NULLs differ.
            models.UniqueConstraint(
                fields=["person", "course_instance", "module"],
                condition=models.Q(state__in=OPEN_STATES, module__isnull=False),
                name="one_open_result_per_module",
            ),
            models.UniqueConstraint(
                fields=["person", "course_instance"],
                condition=models.Q(state__in=OPEN_STATES, module__isnull=True),
                name="one_open_course_result",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ResultState.values), name="result_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=VISIBLE_TO_STUDENT)
                | models.Q(certified_at__isnull=False, certified_by__isnull=False),
                name="certified_result_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.module_id or 'course'} {self.state}"

    @property
    def is_course_grade(self) -> bool:
        return self.module_id is None


class ResultAction(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("result action", "Reported")
    EDITED = "edited", pgettext_lazy("result action", "Changed")
    MARKED_READY = "marked_ready", pgettext_lazy("result action", "Marked as ready")
    UNMARKED = "unmarked", pgettext_lazy("result action", "Sent back to draft")
    CERTIFIED = "certified", pgettext_lazy("result action", "Certified")
    REMOVAL_PREPARED = "removal_prepared", pgettext_lazy("result action", "Removal prepared")
    REMOVAL_WITHDRAWN = (
        "removal_withdrawn",
        pgettext_lazy("result action", "Prepared removal withdrawn"),
    )
    REMOVED = "removed", pgettext_lazy("result action", "Removed")
    DISCARDED = "discarded", pgettext_lazy("result action", "Draft discarded")


class ResultEvent(InstitutionOwned):
    """One line of a result's timeline (T-CERT-2, B-3). Written only by results.workflow; never
    edited or deleted."""

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=ResultAction.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=ResultSource.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    grade_before = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grade_after = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date_before = models.DateField(null=True, blank=True)
    date_after = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.action}"


class GradeThreshold(InstitutionOwned):
    """Points to grades (B-8): on this session, at least `min_points` proposes `grade`."""

    session = models.ForeignKey(
        ActivitySession, on_delete=models.CASCADE, related_name="grade_thresholds"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    min_points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["session", "-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["session", "grade"], name="threshold_grade_unique"),
            models.CheckConstraint(
                condition=models.Q(min_points__gte=0), name="threshold_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.grade_id} ≥ {self.min_points}"


class ApiClient(BilingualName, InstitutionOwned):
    """A digital exam system allowed to push results to one university (T-EXT-1). The token is
    shown once when created; only its SHA-256 is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    # Results pushed by this client are reported in this user's name in the timeline.
    acting_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_en"]


class InboundState(models.TextChoices):
    REJECTED = "rejected", pgettext_lazy("inbound record", "Rejected")
    APPLIED = "applied", pgettext_lazy("inbound record", "Applied after correction")
    DISMISSED = "dismissed", pgettext_lazy("inbound record", "Dismissed")


class RejectedRecord(InstitutionOwned):
    """A record an exam system sent that could not become a draft (B-7, T-EXT-1): kept with its
    reason so that nothing is dropped silently; staff correct and re-apply it or dismiss it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="rejected")
    session = models.ForeignKey(
        ActivitySession, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField()
    reason = models.CharField(max_length=500)
    received_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=10, choices=InboundState.choices, default=InboundState.REJECTED
    )
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # Why staff dismissed it (B-7): kept apart from the rejection's reason.
    dismissal_note = models.CharField(max_length=500, blank=True)
    result = models.ForeignKey(
        Result, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.reason}"
