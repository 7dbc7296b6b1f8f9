"""Certified results behind every completed course of the demo, written in bulk.

A participation is completed when its course grade is certified
(results.services.certifying.certify), so each completed participation that has no results yet
gets what that path leaves behind: a passing grade on every module, the course grade resting on
them, and for each result its history - reported, marked ready, certified - by the university's
demo examiner, dated after the course ended and before the completion was recorded
(participations.Clock). The student has
seen them long ago, so they are not "new" on the start page (S-HOME-1).

The named stories of results.py go through the services one by one; this module is for volume
(`seed_demo --students 100000`): two bulk inserts per batch, rows built the way
results.workflow builds them.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Exists, OuterRef

from catalog.models import Course, Grade, Module
from institutions.demo.participations import BATCH, Clock
from people.models import User
from registration.models import CourseParticipation, ParticipationState
from results import workflow
from results.models import Result, ResultAction, ResultEvent, ResultSource

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
# After the course's last examination: reported two days later, marked ready after four,
# certified after six; the completion itself is recorded at fourteen (participations.Clock).
STEPS = ((ResultAction.REPORTED, 2), (ResultAction.MARKED_READY, 4), (ResultAction.CERTIFIED, 6))
# How often each passing grade is drawn, lowest passing grade first (G, VG; 3, 4, 5; E … A).
PASSING_WEIGHTS = (4, 5, 3, 2, 1)


@contextmanager
def historical_result_timestamps() -> Iterator[None]:
    """Let the demo date results and their history when they happened (created_at and
    ResultEvent.at stamp `now` otherwise), as participations.historical_timestamps does."""
    fields = [Result._meta.get_field("created_at"), ResultEvent._meta.get_field("at")]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class Grades:
    """Every grade, by scale, read once."""

    def __init__(self) -> None:
        self.by_scale: dict[int, list[Grade]] = defaultdict(list)
        for grade in Grade.objects.order_by("scale_id", "rank"):
            self.by_scale[grade.scale_id].append(grade)

    def passing(self, scale_id: int) -> list[Grade]:
        return [g for g in self.by_scale[scale_id] if g.passing]

    def code(self, scale_id: int, code: str) -> Grade:
        return next(g for g in self.by_scale[scale_id] if g.code == code)

    def draw(self, scale_id: int, rng: random.Random) -> Grade:
        options = self.passing(scale_id)
        return rng.choices(options, weights=PASSING_WEIGHTS[: len(options)])[0]

    def course_grade(self, course: Course, counting: list[tuple[Module, Grade]]) -> Grade:
        """The largest module's grade where the course uses its scale, else the course scale's
        lowest passing grade (what an examiner sets for a course graded only pass)."""
        module, grade = max(counting, key=lambda item: (item[0].credits, -item[0].position))
        if module.grading_scale_id == course.grading_scale_id:
            return grade
        return self.passing(course.grading_scale_id)[0]


def module_days(modules: list[Module], end: datetime.date, start: datetime.date) -> list:
    """One examination a week up to the course's last day, the last module last."""
    return [max(start, end - (len(modules) - 1 - i) * WEEK) for i in range(len(modules))]


class _Writer:
    """Builds the unsaved results and events of completed participations."""

    def __init__(self, today: datetime.date, rng: random.Random) -> None:
        self.clock = Clock(today)
        self.grades = Grades()
        self.rng = rng

    def history(self, result: Result, examiner: User, last_day: datetime.date) -> list:
        """Move the unsaved result from nothing to certified, as results.workflow does, and
        return its three events, dated after `last_day`."""
        events = []
        before = workflow.snapshot(None)
        for action, days in STEPS:
            workflow.advance(result, action, before)
            event = workflow.event(
                result, action, actor=examiner, source=result.source, before=before
            )
            event.at = self.clock.moment(last_day + days * DAY)
            events.append(event)
            before = workflow.snapshot(result)
        return events

    def results_for(
        self, participation: CourseParticipation, modules: list[Module], examiner: User
    ) -> tuple[list[Result], list[ResultEvent]]:
        instance = participation.course_instance
        days = module_days(modules, instance.end_date, instance.start_date)
        last = max(days)
        certified_at = self.clock.moment(last + STEPS[-1][1] * DAY)
        counting = [(m, self.grades.draw(m.grading_scale_id, self.rng)) for m in modules]
        rows = [(m, g, d) for (m, g), d in zip(counting, days, strict=True)]
        rows.append((None, self.grades.course_grade(instance.course, counting), last))
        results, events = [], []
        for module, grade, day in rows:
            result = Result(
                institution_id=participation.institution_id,
                person_id=participation.person_id,
                course_instance=instance,
                module=module,
                grade=grade,
                examination_date=day,
                state="",
                source=ResultSource.PAGE,
                reported_by=examiner,
                graded_by=examiner,
                notify=examiner,
                ready_grade=grade,
                ready_date=day,
                certified_by=examiner,
                certified_at=certified_at,
                seen_by_student_at=certified_at,
                created_at=self.clock.moment(last + STEPS[0][1] * DAY),
            )
            events += self.history(result, examiner, last)
            results.append(result)
        return results, events


def _completed_without_results(person_ids: Iterable[int] | None):
    completed = CourseParticipation.objects.filter(state=ParticipationState.COMPLETED).exclude(
        Exists(
            Result.objects.filter(
                person_id=OuterRef("person_id"), course_instance_id=OuterRef("course_instance_id")
            )
        )
    )
    if person_ids is not None:
        completed = completed.filter(person_id__in=list(person_ids))
    return completed.select_related("course_instance__course").order_by("pk")


def certify_completed_courses(
    examiners: dict[int, User],
    today: datetime.date,
    rng: random.Random,
    person_ids: Iterable[int] | None = None,
) -> int:
    """Give every completed participation (of these persons, or of everyone) without results
    its certified module results and course grade; `examiners` by university id. The number
    of results written."""
    writer = _Writer(today, rng)
    participations = [
        p
        for p in _completed_without_results(person_ids)
        if p.course_instance.end_date < today and p.institution_id in examiners
    ]
    modules: dict[int, list[Module]] = defaultdict(list)
    for module in Module.objects.filter(
        course_id__in={p.course_instance.course_id for p in participations}
    ).order_by("course_id", "position", "code"):
        modules[module.course_id].append(module)
    results, events = [], []
    for participation in participations:
        mine = modules[participation.course_instance.course_id]
        if mine:
            made, history = writer.results_for(
                participation, mine, examiners[participation.institution_id]
            )
            results += made
            events += history
    with historical_result_timestamps():
        Result.objects.bulk_create(results, batch_size=BATCH)
        ResultEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(results)
