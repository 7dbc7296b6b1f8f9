"""A student's participation in course and programme instances, their registrations per study
period, and leaves of absence. States follow registration/workflow.py; every change of state
writes a ParticipationEvent in the same transaction (registration.services)."""

import uuid

from django.db import models
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstance, ProgrammeInstance, StudyPeriod
from institutions.models import Institution, institution_scoped
from people.models import Person, User


class ParticipationState(models.TextChoices):
    ADMITTED = "admitted", pgettext_lazy("participation state", "Admitted")
    EXPECTED = "expected", pgettext_lazy("participation state", "Expected participation")
    REGISTERED = "registered", pgettext_lazy("participation state", "Registered")
    COMPLETED = "completed", pgettext_lazy("participation state", "Completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("participation state", "Withdrawn")
    DROPPED = "dropped", pgettext_lazy("participation state", "Dropped out")
    CHANGED_INSTANCE = "changed", pgettext_lazy("participation state", "Changed instance")


# States in which a participation still holds the student's place on the instance.
ACTIVE_STATES = [
    ParticipationState.ADMITTED,
    ParticipationState.EXPECTED,
    ParticipationState.REGISTERED,
    ParticipationState.COMPLETED,
]


class ProgrammeParticipation(models.Model):
    """Services: registration.services (admit, withdraw, drop out)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="programme_participations"
    )
    programme_instance = models.ForeignKey(
        ProgrammeInstance, on_delete=models.PROTECT, related_name="participations"
    )
    state = models.CharField(max_length=20, choices=ParticipationState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    objects = institution_scoped()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme_instance"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="one_active_programme_participation",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ParticipationState.values),
                name="programmeparticipation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.programme_instance_id}: {self.state}"


class CourseParticipation(models.Model):
    """Services: registration.services (admit, register, withdraw, drop out, change instance)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="course_participations"
    )
    course_instance = models.ForeignKey(
        CourseInstance, on_delete=models.PROTECT, related_name="participations"
    )
    programme_participation = models.ForeignKey(
        ProgrammeParticipation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_participations",
    )
    state = models.CharField(max_length=20, choices=ParticipationState.choices)
    # A dropout within the early-dropout window counts the course as never started (S-WD-2).
    early_dropout = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    objects = institution_scoped()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course_instance"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="one_active_course_participation",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ParticipationState.values),
                name="courseparticipation_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(early_dropout=False) | models.Q(state="dropped"),
                name="early_dropout_only_when_dropped",
            ),
            # Target of Registration's composite foreign key (migration 0002).
            models.UniqueConstraint(
                fields=["id", "course_instance"], name="courseparticipation_id_instance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.course_instance_id}: {self.state}"


class Registration(models.Model):
    """A registration on a course instance for one of its study periods (S-REG-1, S-REG-3).
    The composite foreign keys added in migration 0002 make a registration outside the
    instance's study periods, or on another instance than the participation's, impossible."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    participation = models.ForeignKey(
        CourseParticipation, on_delete=models.PROTECT, related_name="registrations"
    )
    course_instance = models.ForeignKey(CourseInstance, on_delete=models.PROTECT)
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = institution_scoped()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "study_period"], name="one_registration_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} / {self.study_period_id}"


class ParticipationEvent(models.Model):
    """History of a participation: who changed what, when (never edited, never deleted)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    course_participation = models.ForeignKey(
        CourseParticipation, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    programme_participation = models.ForeignKey(
        ProgrammeParticipation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True)

    objects = institution_scoped()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course_participation__isnull=True)
                ^ models.Q(programme_participation__isnull=True),
                name="event_about_exactly_one_participation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class LeaveOfAbsence(models.Model):
    """A break in a programme (studieuppehåll), shown on the programme page (S-EDU-4)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    programme_participation = models.ForeignKey(
        ProgrammeParticipation, on_delete=models.PROTECT, related_name="leaves"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    with_guaranteed_return = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = institution_scoped()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="leave_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date}"
