"""What is due and what is overdue (T-DEAD-1): for each activity session in a person's reach, its
reporting deadline and how many of its participants still lack a certified result.

A participant counts as reported when they have a certified result (not removed) from the
session: pushed or reported on it, or on one of its modules — or, for a session examining whole
courses, a course grade — dated the session's day. A fixed number of queries whatever the
number of sessions and participants.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncDate

from catalog.models import CourseInstance
from exams.models import ActivitySession, Signup
from institutions.models import Institution
from ladokportal import clock
from people.models import User
from results.models import VISIBLE_TO_STUDENT, Result
from results.rules import reportable_instances

# "Due soon": the deadline falls within this many days.
SOON = datetime.timedelta(days=7)
# How far back overdue sessions are followed up.
LOOK_BACK = datetime.timedelta(days=365)


@dataclass(frozen=True)
class DueSession:
    session: ActivitySession
    deadline: datetime.date
    participants: int
    certified: int

    @property
    def missing(self) -> int:
        return self.participants - self.certified

    @property
    def overdue(self) -> bool:
        return self.deadline < clock.today() and self.missing > 0


def _certified_for_signup() -> Exists:
    """Whether the sign-up's person has a certified result from this session's examination:
    reported on the session itself, or on one of its modules (or courses) dated its day."""
    on_module = Q(module__activity_sessions=OuterRef("session_id"))
    on_course = Q(
        module__isnull=True,
        course_instance__activity_sessions=OuterRef("session_id"),
    )
    from_session = Q(activity_session_id=OuterRef("session_id"))
    return Exists(
        Result.objects.filter(
            from_session | ((on_module | on_course) & Q(examination_date=OuterRef("exam_day"))),
            person_id=OuterRef("person_id"),
            state__in=VISIBLE_TO_STUDENT,
        )
    )


def certified_counts(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """session id → (active participants, of whom certified). One query."""
    rows = (
        Signup.objects.filter(session_id__in=session_ids, cancelled_at__isnull=True)
        .annotate(exam_day=TruncDate("session__starts_at"))
        .annotate(done=_certified_for_signup())
        .values("session_id")
        .annotate(total=Count("id"), certified=Count("id", filter=Q(done=True)))
    )
    return {r["session_id"]: (r["total"], r["certified"]) for r in rows}


def due_sessions(user: User, institution: Institution, today: datetime.date | None = None):
    """Sessions of courses the person reports on whose results are due within a week or overdue,
    with participants still lacking a certified result; the most urgent first. Four queries."""
    today = today or clock.today()
    sessions = list(
        ActivitySession.objects.filter(
            institution=institution,
            starts_at__date__lte=today,
            starts_at__date__gte=today - LOOK_BACK,
            course_instances__in=reportable_instances(user, institution.pk),
        )
        .select_related("retake")
        .prefetch_related(
            Prefetch(
                "course_instances",
                queryset=CourseInstance.objects.select_related("course").order_by("course__code"),
            )
        )
        .distinct()
        .order_by("starts_at", "id")
    )
    counts = certified_counts([s.pk for s in sessions])
    due = []
    for session in sessions:
        participants, certified = counts.get(session.pk, (0, 0))
        deadline = session.reporting_deadline
        if participants > certified and deadline <= today + SOON:
            due.append(DueSession(session, deadline, participants, certified))
    return sorted(due, key=lambda d: (d.deadline, d.session.starts_at))
