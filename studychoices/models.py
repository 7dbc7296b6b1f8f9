"""Study choices within a programme (studieval, S-CHOICE-1, S-CHOICE-2): during a choice period the
programme's students pick among alternatives under rules (how many, how many credits). A confirmed
choice gives expected participation on each chosen course instance or specialisation."""

import uuid

from django.db import models

from catalog.models import CourseInstance, ProgrammeInstance
from institutions.models import InstitutionOwned
from ladokportal.i18n import BilingualName
from people.models import Person
from registration.models import CourseParticipation, ProgrammeParticipation


class ChoicePeriod(BilingualName, InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme_instance = models.ForeignKey(
        ProgrammeInstance, on_delete=models.CASCADE, related_name="choice_periods"
    )
    opens = models.DateField()
    closes = models.DateField()
    min_picks = models.PositiveSmallIntegerField(default=1)
    max_picks = models.PositiveSmallIntegerField(default=1)
    # Credit limits over the chosen course instances; null means no limit.
    min_credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    max_credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")),
                name="choice_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(max_picks__gte=models.F("min_picks")),
                name="choice_picks_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(min_credits__isnull=True)
                | models.Q(max_credits__isnull=True)
                | models.Q(max_credits__gte=models.F("min_credits")),
                name="choice_credits_ordered",
            ),
        ]


class ChoiceAlternative(InstitutionOwned):
    period = models.ForeignKey(ChoicePeriod, on_delete=models.CASCADE, related_name="alternatives")
    course_instance = models.ForeignKey(
        CourseInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    specialisation_instance = models.ForeignKey(
        ProgrammeInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course_instance__isnull=True)
                ^ models.Q(specialisation_instance__isnull=True),
                name="alternative_has_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"alternative {self.pk} of {self.period_id}"


class StudyChoice(InstitutionOwned):
    """One student's confirmed choice in a period; removed_at set when they took it back."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="study_choices")
    period = models.ForeignKey(ChoicePeriod, on_delete=models.PROTECT, related_name="choices")
    chosen_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["chosen_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_choice_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"choice {self.person_id} in {self.period_id}"


class StudyChoiceItem(InstitutionOwned):
    choice = models.ForeignKey(StudyChoice, on_delete=models.CASCADE, related_name="items")
    alternative = models.ForeignKey(ChoiceAlternative, on_delete=models.PROTECT)
    course_participation = models.OneToOneField(
        CourseParticipation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme_participation = models.OneToOneField(
        ProgrammeParticipation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["choice", "alternative"], name="choice_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.choice_id}: {self.alternative_id}"
