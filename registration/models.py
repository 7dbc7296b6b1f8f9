"""A student's participation in course and programme instances, their registrations per study
period, and leaves of absence. States follow registration/workflow.py; every change of state
writes a ParticipationEvent in the same transaction (registration.services)."""

import uuid

from django.db import models
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstance, ProgrammeInstance, StudyPeriod
from institutions.models import InstitutionOwned
from people.models import Person, User


class ParticipationState(models.TextChoices):
    ADMITTED = "admitted", pgettext_lazy("participation state", "Admitted")
    EXPECTED = "expected", pgettext_lazy("participation state", "Expected participation")
    REGISTERED = "registered", pgettext_lazy("participation state", "Registered")
    COMPLETED = "completed", pgettext_lazy("participation state", "Completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("participation state", "Withdrawn")
    DROPPED = "dropped", pgettext_lazy("participation state", "Dropped out")
    CHANGED_INSTANCE = "changed", pgettext_lazy("participation state", "Changed instance")
    # An application or study choice the student removed within its period (S-APP-2, S-CHOICE-2).
    CANCELLED = "cancelled", pgettext_lazy("participation state", "Application removed")


class ParticipationSource(models.TextChoices):
    ADMISSION = "admission", pgettext_lazy("participation source", "Admission")
    APPLICATION = "application", pgettext_lazy("participation source", "Application")
    CHOICE = "choice", pgettext_lazy("participation source", "Study choice")
    CHANGE = "change", pgettext_lazy("participation source", "Change of course instance")
    STAFF = "staff", pgettext_lazy("participation source", "Study administration")


# States in which a participation still holds the student's place on the instance.
ACTIVE_STATES = [
    ParticipationState.ADMITTED,
    ParticipationState.EXPECTED,
    ParticipationState.REGISTERED,
    ParticipationState.COMPLETED,
]


class ProgrammeParticipation(InstitutionOwned):
    """Services: registration.services (admit, withdraw, drop out)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="programme_participations"
    )
    programme_instance = models.ForeignKey(
        ProgrammeInstance, on_delete=models.PROTECT, related_name="participations"
    )
    state = models.CharField(max_length=20, choices=ParticipationState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

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


class CourseParticipation(InstitutionOwned):
    """Services: registration.services (admit, register, withdraw, drop out, change instance)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    source = models.CharField(
        max_length=20, choices=ParticipationSource.choices, default=ParticipationSource.ADMISSION
    )
    # A dropout within the early-dropout window counts the course as never started (S-WD-2).
    early_dropout = models.BooleanField(default=False)
    # After a change of course instance (S-SWAP-1): where the student came from, and the part of
    # the course's scope and study period they re-register on, where the university allows it.
    changed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="changed_to"
    )
    scope_credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    scope_period = models.ForeignKey(
        "catalog.CourseInstancePeriod",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

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
            models.CheckConstraint(
                condition=models.Q(scope_credits__isnull=True) | models.Q(scope_credits__gt=0),
                name="scope_credits_positive",
            ),
            # Target of Registration's composite foreign key (migration 0002).
            models.UniqueConstraint(
                fields=["id", "course_instance"], name="courseparticipation_id_instance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.course_instance_id}: {self.state}"


class Registration(InstitutionOwned):
    """A registration on a course instance for one of its study periods (S-REG-1, S-REG-3).
    The composite foreign keys added in migration 0002 make a registration outside the
    instance's study periods, or on another instance than the participation's, impossible."""

    participation = models.ForeignKey(
        CourseParticipation, on_delete=models.PROTECT, related_name="registrations"
    )
    course_instance = models.ForeignKey(CourseInstance, on_delete=models.PROTECT)
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "study_period"], name="one_registration_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} / {self.study_period_id}"


class ParticipationEvent(InstitutionOwned):
    """History of a participation: who changed what, when (never edited, never deleted)."""

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


class LeaveOfAbsence(InstitutionOwned):
    """A break in a programme (studieuppehåll), shown on the programme page (S-EDU-4)."""

    programme_participation = models.ForeignKey(
        ProgrammeParticipation, on_delete=models.PROTECT, related_name="leaves"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    with_guaranteed_return = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

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


class ApplicationOffer(InstitutionOwned):
    """Something a programme's students may apply for within the programme (anmälan, S-APP-1):
    a course instance or a specialisation's instance, during an application period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme_instance = models.ForeignKey(
        ProgrammeInstance, on_delete=models.CASCADE, related_name="application_offers"
    )
    course_instance = models.ForeignKey(
        CourseInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    specialisation_instance = models.ForeignKey(
        ProgrammeInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opens = models.DateField()
    closes = models.DateField()

    class Meta:
        ordering = ["opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course_instance__isnull=True)
                ^ models.Q(specialisation_instance__isnull=True),
                name="offer_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="offer_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.public_id}"


class Application(InstitutionOwned):
    """A student's application on an offer. Confirmed, it gives expected participation; removed
    within the period, the participation is cancelled and the student may apply again."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    offer = models.ForeignKey(
        ApplicationOffer, on_delete=models.PROTECT, related_name="applications"
    )
    course_participation = models.OneToOneField(
        CourseParticipation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme_participation = models.OneToOneField(
        ProgrammeParticipation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "offer"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_application_per_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"application {self.person_id} → {self.offer_id}"


class IndividualStudyPlan(InstitutionOwned):
    """A doctoral student's individual study plan (ISP), shown on the programme page (S-EDU-4)."""

    programme_participation = models.OneToOneField(
        ProgrammeParticipation, on_delete=models.PROTECT, related_name="study_plan"
    )
    established_on = models.DateField()
    revised_on = models.DateField(null=True, blank=True)
    main_supervisor = models.CharField(max_length=200)
    assistant_supervisors = models.CharField(max_length=500, blank=True)
    planned_defence = models.DateField(null=True, blank=True)
    summary_sv = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"ISP {self.programme_participation_id}"


class StudyActivity(InstitutionOwned):
    """Reported study activity of a doctoral student for a period, in percent of full time."""

    programme_participation = models.ForeignKey(
        ProgrammeParticipation, on_delete=models.PROTECT, related_name="study_activities"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    activity_percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activity_percent__lte=100), name="activity_at_most_full_time"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date}: {self.activity_percent} %"
