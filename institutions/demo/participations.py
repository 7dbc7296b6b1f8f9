"""Participations with their history and registrations, written in bulk.

The demo records things that happened before today: admissions before a course started,
registrations in the registration period, completions after the course ended. Each state a
participation has passed through gets its ParticipationEvent (the first from ""), and each
registered study period its Registration, dated when it would have happened.
"""

import datetime
import itertools
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from catalog.models import CourseInstance, CourseInstancePeriod, ProgrammeInstance
from people.models import Person
from registration.models import (
    Application,
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)

BATCH = 5000
S = ParticipationState
# The states a participation has passed through to reach its current one.
PATHS = {
    S.ADMITTED: (S.ADMITTED,),
    S.EXPECTED: (S.EXPECTED,),
    S.REGISTERED: (S.ADMITTED, S.REGISTERED),
    S.COMPLETED: (S.ADMITTED, S.REGISTERED, S.COMPLETED),
    S.WITHDRAWN: (S.ADMITTED, S.WITHDRAWN),
    S.DROPPED: (S.ADMITTED, S.REGISTERED, S.DROPPED),
}
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


@dataclass
class StudentPlan:
    """What one person studies: optionally a programme, and course instances with a state each."""

    person: Person
    courses: list[tuple[CourseInstance, str]] = field(default_factory=list)
    programme: ProgrammeInstance | None = None
    programme_state: str = S.REGISTERED


@contextmanager
def historical_timestamps() -> Iterator[None]:
    """Let the demo write the dates history happened on. The participation models stamp
    created_at, registered_at and at with `now` (auto_now_add), which would put every admission
    and completion of the past on the day the demo was loaded; so do applications and leaves."""
    fields = [
        model._meta.get_field(name)
        for model, names in (
            (CourseParticipation, ("created_at", "state_changed_at")),
            (ProgrammeParticipation, ("created_at", "state_changed_at")),
            (Registration, ("registered_at",)),
            (ParticipationEvent, ("at",)),
            (Application, ("applied_at",)),
            (LeaveOfAbsence, ("recorded_at",)),
        )
        for name in names
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class Clock:
    """When each step of a participation happened, relative to its instance's dates."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.now = timezone.now()
        self._cache: dict[tuple[int, str], datetime.datetime] = {}
        self._moments: dict[datetime.date, datetime.datetime] = {}

    def moment(self, day: datetime.date) -> datetime.datetime:
        """Ten in the morning on `day`, but never later than now."""
        if day not in self._moments:
            stamp = datetime.datetime.combine(min(day, self.today), datetime.time(10))
            self._moments[day] = min(timezone.make_aware(stamp), self.now)
        return self._moments[day]

    def course_step(self, instance: CourseInstance, state: str) -> datetime.datetime:
        key = (instance.pk, state)
        if key not in self._cache:
            self._cache[key] = self.moment(self._course_day(instance, state))
        return self._cache[key]

    def _course_day(self, instance: CourseInstance, state: str) -> datetime.date:
        opens = instance.periods_list[0].registration_opens
        return {
            S.ADMITTED: opens - 30 * DAY,
            S.EXPECTED: opens - 30 * DAY,
            S.REGISTERED: opens + DAY,
            S.WITHDRAWN: opens - 5 * DAY,
            # Past the early-dropout weeks of every demo university (S-WD-2): a later dropout.
            S.DROPPED: instance.start_date + 5 * WEEK,
            S.COMPLETED: instance.end_date + 14 * DAY,
        }[state]

    def programme_step(self, instance: ProgrammeInstance, state: str) -> datetime.datetime:
        offset = {S.ADMITTED: -60, S.EXPECTED: -60, S.REGISTERED: 0}.get(state, 30)
        return self.moment(instance.start_date + offset * DAY)


def registered_periods(instance: CourseInstance, state: str, today: datetime.date) -> list:
    """The study periods a participation in `state` holds a registration for."""
    periods: list[CourseInstancePeriod] = instance.periods_list
    if state == S.COMPLETED:
        return periods
    if state == S.DROPPED:
        return periods[:1]
    if state == S.REGISTERED:
        return [p for p in periods if p.registration_opens <= today]
    return []


def enrol(plans: list[StudentPlan], today: datetime.date) -> int:
    """Create the plans' participations, history and registrations; the number of course
    participations made."""
    clock = Clock(today)
    with historical_timestamps():
        programme_participations = _create_programme_participations(plans, clock)
        participations = _create_course_participations(plans, programme_participations, clock)
        events = [*_programme_events(programme_participations, clock)]
        events += _course_events(participations, clock)
        ParticipationEvent.objects.bulk_create(events, batch_size=BATCH)
        Registration.objects.bulk_create(_registrations(participations, clock), batch_size=BATCH)
    return len(participations)


def _create_programme_participations(
    plans: list[StudentPlan], clock: Clock
) -> dict[int, ProgrammeParticipation]:
    """By the id() of the plan they belong to."""
    made = {
        id(plan): ProgrammeParticipation(
            institution_id=plan.programme.institution_id,
            person=plan.person,
            programme_instance=plan.programme,
            state=plan.programme_state,
            created_at=clock.programme_step(plan.programme, PATHS[plan.programme_state][0]),
            state_changed_at=clock.programme_step(plan.programme, plan.programme_state),
        )
        for plan in plans
        if plan.programme is not None
    }
    ProgrammeParticipation.objects.bulk_create(made.values(), batch_size=BATCH)
    return made


def _create_course_participations(
    plans: list[StudentPlan], programme_participations: dict, clock: Clock
) -> list[CourseParticipation]:
    participations = [
        CourseParticipation(
            institution_id=instance.institution_id,
            person=plan.person,
            course_instance=instance,
            programme_participation=programme_participations.get(id(plan)),
            state=state,
            created_at=clock.course_step(instance, PATHS[state][0]),
            state_changed_at=clock.course_step(instance, state),
        )
        for plan in plans
        for instance, state in plan.courses
    ]
    return CourseParticipation.objects.bulk_create(participations, batch_size=BATCH)


def _programme_events(
    participations: dict[int, ProgrammeParticipation], clock: Clock
) -> Iterable[ParticipationEvent]:
    for participation in participations.values():
        steps = PATHS[participation.state]
        for before, after in itertools.pairwise(("", *steps)):
            yield ParticipationEvent(
                institution_id=participation.institution_id,
                programme_participation=participation,
                from_state=before,
                to_state=after,
                at=clock.programme_step(participation.programme_instance, after),
            )


def _course_events(
    participations: list[CourseParticipation], clock: Clock
) -> list[ParticipationEvent]:
    return [
        ParticipationEvent(
            institution_id=p.institution_id,
            course_participation=p,
            from_state=before,
            to_state=after,
            at=clock.course_step(p.course_instance, after),
        )
        for p in participations
        for before, after in itertools.pairwise(("", *PATHS[p.state]))
    ]


def _registrations(participations: list[CourseParticipation], clock: Clock) -> list[Registration]:
    return [
        Registration(
            institution_id=p.institution_id,
            participation=p,
            course_instance=p.course_instance,
            study_period_id=period.study_period_id,
            registered_at=clock.moment(period.registration_opens + DAY),
        )
        for p in participations
        for period in registered_periods(p.course_instance, p.state, clock.today)
    ]


def draw_state(instance: CourseInstance, today: datetime.date, rng: random.Random) -> str:
    """A plausible state for a student on `instance`, given where the instance stands today."""
    if instance.end_date < today:
        options = {S.COMPLETED: 80, S.REGISTERED: 8, S.DROPPED: 8, S.WITHDRAWN: 4}
    elif instance.periods_list[0].registration_opens <= today:
        options = {S.REGISTERED: 75, S.ADMITTED: 15, S.DROPPED: 5, S.WITHDRAWN: 5}
    else:
        options = {S.ADMITTED: 90, S.WITHDRAWN: 10}
    return rng.choices(list(options), weights=list(options.values()))[0]
