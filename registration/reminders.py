"""Who is to be reminded that a registration period closes soon (B-2, S-REG-1, S-REG-3): every
student who may register for a course instance's study period now, by the rules the Register
button follows (registration.eligibility.can_register), and has not. Read inside the
university's scope by notifications.reminders."""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch

from catalog.models import CourseInstancePeriod
from registration import eligibility
from registration.models import CourseParticipation, ParticipationState

S = ParticipationState
# A place not given up: the student may still register.
HOLDING = (S.ADMITTED, S.EXPECTED, S.REGISTERED)


def due(
    today: datetime.date, days: int
) -> Iterator[tuple[CourseParticipation, CourseInstancePeriod]]:
    """Each (participation, period) whose registration window is open today, closes within
    `days` days, and where the student may register but has not. Three queries."""
    closing = CourseInstancePeriod.objects.filter(
        registration_opens__lte=today,
        registration_closes__gte=today,
        registration_closes__lte=today + datetime.timedelta(days=days),
    )
    participations = (
        CourseParticipation.objects.filter(state__in=HOLDING, course_instance__periods__in=closing)
        .distinct()
        .select_related("person", "course_instance__course")
        .prefetch_related(
            Prefetch(
                "course_instance__periods",
                queryset=CourseInstancePeriod.objects.select_related("study_period").order_by(
                    "sequence"
                ),
            ),
            "registrations",
        )
        .order_by("pk")
    )
    closing_ids = set(closing.values_list("pk", flat=True))
    for participation in participations:
        periods = list(participation.course_instance.periods.all())
        registered_periods = {r.study_period_id for r in participation.registrations.all()}
        registered = {p.sequence for p in periods if p.study_period_id in registered_periods}
        for period in periods:
            if period.pk in closing_ids and eligibility.can_register(
                participation, period, registered, today
            ):
                yield participation, period
