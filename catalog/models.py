"""What a university offers: grading scales, courses and their modules, course instances with
their study periods, and programmes (kurspaketeringar) with their instances."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institutions.models import InstitutionOwned, OrgUnit
from ladokportal.i18n import BilingualName


class GradingScale(BilingualName):
    """A national grading scale: U/G, U/G/VG, U/3/4/5, A–F with Fx. Not institution-owned."""

    code = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["code"]


class Grade(BilingualName):
    scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="grades")
    code = models.CharField(max_length=5)
    passing = models.BooleanField()
    rank = models.PositiveSmallIntegerField(help_text="Order within the scale, lowest first.")

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="grade_code_unique_in_scale"),
            models.UniqueConstraint(fields=["scale", "rank"], name="grade_rank_unique_in_scale"),
        ]

    def __str__(self) -> str:
        return self.code


class StudyPeriod(BilingualName, InstitutionOwned):
    """A term or part of one (e.g. HT2026); registrations are made per study period."""

    code = models.CharField(max_length=20)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="studyperiod_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="studyperiod_ends_after_start",
            ),
        ]


class EducationLevel(models.TextChoices):
    FIRST = "first", pgettext_lazy("education level", "First cycle")
    SECOND = "second", pgettext_lazy("education level", "Second cycle")
    DOCTORAL = "doctoral", pgettext_lazy("education level", "Third cycle")


class Course(BilingualName, InstitutionOwned):
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(max_length=20)
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    grading_scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT)
    level = models.CharField(max_length=10, choices=EducationLevel.choices)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="course_code_unique"),
            models.CheckConstraint(condition=models.Q(credits__gt=0), name="course_credits_gt0"),
        ]


class Module(BilingualName, InstitutionOwned):
    """A part of a course (delmoment) with its own grade."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(max_length=20)
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    grading_scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="module_code_unique"),
            models.CheckConstraint(condition=models.Q(credits__gt=0), name="module_credits_gt0"),
        ]


class TeachingLanguage(models.TextChoices):
    SWEDISH = "sv", pgettext_lazy("teaching language", "Swedish")
    ENGLISH = "en", pgettext_lazy("teaching language", "English")


class CourseInstance(InstitutionOwned):
    """One run of a course (kurstillfälle), identified to students by its instance code."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="instances")
    instance_code = models.CharField(max_length=10)
    start_date = models.DateField()
    end_date = models.DateField()
    pace = models.PositiveSmallIntegerField(help_text="Study pace in percent of full time.")
    town = models.CharField(max_length=100, blank=True)
    teaching_language = models.CharField(max_length=2, choices=TeachingLanguage.choices)
    study_periods = models.ManyToManyField(
        StudyPeriod, through="CourseInstancePeriod", related_name="course_instances"
    )

    class Meta:
        ordering = ["start_date", "instance_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "instance_code"], name="courseinstance_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="courseinstance_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(pace__gt=0, pace__lte=100), name="courseinstance_pace_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.instance_code}"


class CourseInstancePeriod(InstitutionOwned):
    """A study period a course instance runs in, with that period's registration window
    (S-REG-3: continuation registration per study period)."""

    course_instance = models.ForeignKey(
        CourseInstance, on_delete=models.CASCADE, related_name="periods"
    )
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT)
    # Ordinal of the period within the instance: 1 is first registration, later ones are
    # continuation registrations.
    sequence = models.PositiveSmallIntegerField()
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    registration_opens = models.DateField(null=True, blank=True)
    registration_closes = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["course_instance", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_instance", "study_period"], name="instanceperiod_unique"
            ),
            models.UniqueConstraint(
                fields=["course_instance", "sequence"], name="instanceperiod_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_opens__isnull=True)
                | models.Q(registration_closes__isnull=True)
                | models.Q(registration_closes__gte=models.F("registration_opens")),
                name="instanceperiod_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_instance_id}:{self.sequence}"


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", pgettext_lazy("programme kind", "Programme")
    SPECIALISATION = "specialisation", pgettext_lazy("programme kind", "Specialisation")
    DOCTORAL_SUBJECT = "doctoral", pgettext_lazy("programme kind", "Subject at doctoral level")


class Programme(BilingualName, InstitutionOwned):
    """A course package (kurspaketering): programme, specialisation or doctoral subject."""

    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=ProgrammeKind.choices)
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="specialisations"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="programme_code_unique"),
        ]


class ProgrammeInstance(InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="instances")
    instance_code = models.CharField(max_length=10)
    start_date = models.DateField()
    end_date = models.DateField()
    pace = models.PositiveSmallIntegerField(default=100)
    town = models.CharField(max_length=100, blank=True)
    course_instances = models.ManyToManyField(
        CourseInstance, through="ProgrammeCourse", related_name="programme_instances"
    )

    class Meta:
        ordering = ["start_date", "instance_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "instance_code"], name="programmeinstance_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programmeinstance_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.instance_code}"


class ProgrammeCourse(InstitutionOwned):
    """A course instance within a programme instance's structure."""

    programme_instance = models.ForeignKey(
        ProgrammeInstance, on_delete=models.CASCADE, related_name="structure"
    )
    course_instance = models.ForeignKey(CourseInstance, on_delete=models.PROTECT)
    term_number = models.PositiveSmallIntegerField(_("term"), default=1)
    mandatory = models.BooleanField(default=True)

    class Meta:
        ordering = ["term_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_instance", "course_instance"], name="programmecourse_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_instance_id}:{self.course_instance_id}"
