"""Reads for the examiner's Certify pages, the result timeline and removals (T-CERT-1..3,
T-REM-1, T-ANON-1, B-3), each with a fixed number of SQL queries whatever the number of results.

The pages decide rights with results.rules; these functions only read. Lookups by public id are
made through the scoped managers, so a result, instance or session of another university is
simply not found (the page answers 404).
"""

import uuid
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from catalog.models import CourseInstance
from exams.models import ActivitySession, Signup
from institutions.models import Institution
from people.models import User
from registration.models import CourseParticipation, ParticipationState
from results.models import Result, ResultEvent, ResultState
from results.rules import Rights, certifiable_instances

S = ResultState
# A student still on the instance: registered, or completed by an earlier course grade (B-4).
ON_INSTANCE = (ParticipationState.REGISTERED, ParticipationState.COMPLETED)
# The value of the module filter that means "the grade on the whole course".
COURSE_GRADE = "course"

_ROW_RELATIONS = (
    "person",
    "module",
    "grade",
    "ready_grade",
    "graded_by",
    "reported_by",
    "notify",
    "activity_session",
)


def _ready_filter(user: User, mine: bool) -> Q:
    condition = Q(results__state=S.READY)
    if mine:
        condition &= Q(results__notify=user)
    return condition


def certify_overview(user: User, institution: Institution, *, mine: bool) -> list[CourseInstance]:
    """The course instances with results marked ready that `user` may certify (T-CERT-1), each
    annotated with `ready_count`; with `mine`, only results whose notification named the user
    (T-CERT-3). One query."""
    return list(
        certifiable_instances(user, institution.pk)
        .annotate(ready_count=Count("results", filter=_ready_filter(user, mine)))
        .filter(ready_count__gt=0)
        .select_related("course")
        .order_by("course__code", "start_date", "instance_code")
    )


def prepared_removal_count(user: User, institution: Institution) -> int:
    return Result.objects.filter(
        state=S.REMOVAL_PREPARED,
        course_instance__in=certifiable_instances(user, institution.pk),
    ).count()


def ready_results(
    course_instance: CourseInstance,
    *,
    user: User,
    mine: bool,
    module: str = "",
) -> list[Result]:
    """The marked-ready results of an instance as the certify list shows them (T-CERT-1):
    `module` is a module code, COURSE_GRADE, or empty for every module. One query."""
    rows = Result.objects.filter(course_instance=course_instance, state=S.READY)
    if mine:
        rows = rows.filter(notify=user)
    if module == COURSE_GRADE:
        rows = rows.filter(module__isnull=True)
    elif module:
        rows = rows.filter(module__code=module)
    return list(
        rows.select_related(*_ROW_RELATIONS).order_by(
            "person__last_name", "person__first_name", "module__position", "id"
        )
    )


def results_by_public_id(public_ids: list[uuid.UUID]) -> list[Result]:
    """Results for the preview and the certify act, with what the preview shows and what the
    services need (the course for the rights check). One query."""
    return list(
        Result.objects.filter(public_id__in=public_ids)
        .select_related(*_ROW_RELATIONS, "course_instance__course")
        .order_by("person__last_name", "person__first_name", "module__position", "id")
    )


def participation_states(course_instance_id: int, person_ids: list[int]) -> dict[int, str]:
    """person → the state of their participation on this instance (the best one if several).
    One query."""
    states: dict[int, str] = {}
    rows = CourseParticipation.objects.filter(
        course_instance_id=course_instance_id, person_id__in=person_ids
    ).values_list("person_id", "state")
    for person_id, state in rows:
        if states.get(person_id) not in ON_INSTANCE:
            states[person_id] = state
    return states


def result(public_id: uuid.UUID) -> Result | None:
    """One result with what its timeline page shows. One query."""
    return (
        Result.objects.select_related(
            *_ROW_RELATIONS,
            "course_instance__course",
            "certified_by",
            "removal_prepared_by",
            "removed_by",
        )
        .filter(public_id=public_id)
        .first()
    )


def timeline(result: Result) -> list[ResultEvent]:
    """Every event of the result, oldest first (T-CERT-2, B-3). One query."""
    return list(
        result.events.select_related("actor", "grade_before", "grade_after").order_by("at", "id")
    )


def prepared_removals(user: User, institution: Institution) -> list[Result]:
    """Results prepared for removal on courses the examiner may certify (T-REM-1). One query."""
    return list(
        Result.objects.filter(
            state=S.REMOVAL_PREPARED,
            course_instance__in=certifiable_instances(user, institution.pk),
        )
        .select_related(
            "person", "module", "grade", "course_instance__course", "removal_prepared_by"
        )
        .order_by("course_instance__course__code", "person__last_name", "id")
    )


def session(public_id: uuid.UUID) -> ActivitySession | None:
    """The activity session with its course instances and their courses. Two queries."""
    return (
        ActivitySession.objects.prefetch_related(
            Prefetch(
                "course_instances",
                queryset=CourseInstance.objects.select_related("course").order_by(
                    "course__code", "instance_code"
                ),
            )
        )
        .filter(public_id=public_id)
        .first()
    )


def certifiable_in_session(rights: Rights, session: ActivitySession) -> list[CourseInstance]:
    return [i for i in session.course_instances.all() if rights.may_certify(i.course)]


@dataclass(frozen=True)
class SessionRow:
    result: Result
    code: str


def session_results(
    session: ActivitySession, instances: list[CourseInstance], states: tuple[str, ...]
) -> list[SessionRow]:
    """The session's results in `states` on the given instances, each with the student's
    anonymisation code (T-ANON-1). Only for examiners: B-6 forbids showing the code next to the
    person to anyone else before certification. One query."""
    code = Signup.objects.filter(session=session, person=OuterRef("person_id")).order_by(
        "cancelled_at", "-id"
    )
    rows = (
        Result.objects.filter(
            activity_session=session, course_instance__in=instances, state__in=states
        )
        .annotate(code=Subquery(code.values("anonymisation_code")[:1]))
        .select_related(*_ROW_RELATIONS, "course_instance__course")
        .order_by("person__last_name", "person__first_name", "module__position", "id")
    )
    return [SessionRow(r, r.code or "") for r in rows]


def sessions_of(results: list[Result]) -> list[ActivitySession]:
    """The distinct activity sessions the results came from (already loaded with them)."""
    seen: dict[int, ActivitySession] = {}
    for r in results:
        if r.activity_session is not None:
            seen.setdefault(r.activity_session_id, r.activity_session)
    return list(seen.values())


def grades_for(result: Result) -> QuerySet:
    """The grades of the result's scale: the module's, or the course's for a course grade."""
    from catalog.models import Grade

    scale_id = (
        result.module.grading_scale_id
        if result.module_id
        else result.course_instance.course.grading_scale_id
    )
    return Grade.objects.filter(scale_id=scale_id).order_by("rank")
