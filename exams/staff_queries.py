"""Reads for the study administrators' session pages (T-ADM-3, T-DEAD-1, T-ANON-1), each with a
fixed number of SQL queries whatever the number of sessions or participants.

The sessions a person manages are those examining a course instance they manage, or every
session of the university for a study administrator of the whole university: exams.rules'
`manages_session` expressed in SQL, so a list shows exactly what the services accept.

B-6: participant rows never carry an anonymisation code, and the code column is not even read
from the database; only exams.services.list_codes hands out the key, and logs that it did.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession, Signup
from institutions.models import Institution
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.rules import managed_course_instances

# How far back the list reaches: long enough to follow up every reporting deadline.
PAST_SHOWN = datetime.timedelta(days=365)


def _manages(user: User, institution: Institution) -> Q:
    """`manages_session` as a condition on a session of the university."""
    whole_university = user.staff_roles.filter(
        institution=institution,
        role=StaffRoleKind.STUDY_ADMIN,
        org_unit__isnull=True,
        course__isnull=True,
    )
    covered = managed_course_instances(user, institution.pk).filter(
        activity_sessions=OuterRef("pk")
    )
    return Q(Exists(whole_university)) | Q(Exists(covered))


def managed_sessions(user: User, institution: Institution) -> QuerySet[ActivitySession]:
    return ActivitySession.objects.filter(institution=institution).filter(
        _manages(user, institution)
    )


def _with_facts(sessions: QuerySet[ActivitySession]) -> QuerySet[ActivitySession]:
    """Each session with its courses, its re-take (for the deadline) and the places taken."""
    return (
        sessions.select_related("retake")
        .annotate(taken_places=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
        .prefetch_related(
            Prefetch(
                "course_instances",
                queryset=CourseInstance.objects.select_related("course").order_by(
                    "course__code", "instance_code"
                ),
            )
        )
    )


@dataclass(frozen=True)
class SessionRow:
    session: ActivitySession
    deadline: datetime.date
    deadline_passed: bool
    # Participants still without a certified result (T-DEAD-1 "what is overdue").
    missing: int = 0

    @property
    def overdue(self) -> bool:
        return self.deadline_passed and self.missing > 0

    @property
    def places(self) -> str:
        taken = self.session.taken_places
        return f"{taken} / {self.session.capacity}" if self.session.capacity else str(taken)


@dataclass(frozen=True)
class SessionList:
    upcoming: list[SessionRow]
    past: list[SessionRow]


def _row(session: ActivitySession, today: datetime.date, counts: dict) -> SessionRow:
    deadline = session.reporting_deadline
    participants, certified = counts.get(session.pk, (0, 0))
    return SessionRow(
        session=session,
        deadline=deadline,
        deadline_passed=deadline < today,
        missing=participants - certified if clock.date_of(session.starts_at) <= today else 0,
    )


def session_list(
    user: User, institution: Institution, now: datetime.datetime | None = None
) -> SessionList:
    """Sessions not yet over, soonest first; then those of the last twelve months, latest
    first. One read, split in two."""
    now = now or timezone.now()
    today = clock.date_of(now)
    sessions = _with_facts(managed_sessions(user, institution)).filter(
        ends_at__gte=now - PAST_SHOWN
    )
    from results.queries.deadlines import certified_counts

    sessions = list(sessions.order_by("starts_at", "id"))
    counts = certified_counts([s.pk for s in sessions])
    rows = [_row(session, today, counts) for session in sessions]
    return SessionList(
        upcoming=[r for r in rows if r.session.ends_at >= now],
        past=[r for r in rows if r.session.ends_at < now][::-1],
    )


def session_row(session: ActivitySession) -> SessionRow:
    """One session's deadline and missing results (one query)."""
    from results.queries.deadlines import certified_counts

    return _row(session, clock.today(), certified_counts([session.pk]))


def session_at(
    user: User, institution: Institution, public_id: uuid.UUID
) -> ActivitySession | None:
    """One session of the university, with its facts and modules and `managed`, whether the
    user manages it (the page refuses with 403 if not); None (a 404) when the university has no
    such session."""
    managed = ExpressionWrapper(_manages(user, institution), output_field=BooleanField())
    return (
        _with_facts(ActivitySession.objects.filter(institution=institution))
        .annotate(managed=managed)
        .prefetch_related(
            Prefetch("modules", queryset=Module.objects.select_related("course")),
        )
        .filter(public_id=public_id)
        .first()
    )


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as staff pages and exports show them: never with a code (B-6)."""

    public_id: uuid.UUID
    person: Person
    signed_up_at: datetime.datetime
    added_by: str  # the staff member's name; empty when the student signed up themselves


def _staff_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def participants(session: ActivitySession) -> list[ParticipantRow]:
    """The session's active participants, by name. One query."""
    signups = (
        Signup.objects.filter(session=session, cancelled_at__isnull=True)
        .select_related("person", "added_by")
        .defer("anonymisation_code")
        .order_by("person__last_name", "person__first_name", "id")
    )
    return [
        ParticipantRow(
            public_id=signup.public_id,
            person=signup.person,
            signed_up_at=signup.signed_up_at,
            added_by=_staff_name(signup.added_by),
        )
        for signup in signups
    ]


def participant(session: ActivitySession, public_id: uuid.UUID) -> Signup | None:
    """An active participant of the session, for removal; None otherwise."""
    return (
        Signup.objects.filter(session=session, public_id=public_id, cancelled_at__isnull=True)
        .select_related("person")
        .defer("anonymisation_code")
        .first()
    )


# --- Choices for the session form ----------------------------------------------------------------


def course_instance_choices(
    user: User,
    institution: Institution,
    today: datetime.date,
    session: ActivitySession | None = None,
) -> QuerySet[CourseInstance]:
    """Course instances the user manages that have not ended, and those already on the
    session being edited."""
    offered = Q(pk__in=managed_course_instances(user, institution.pk).filter(end_date__gte=today))
    if session is not None:
        offered |= Q(pk__in=session.course_instances.values("pk"))
    return (
        CourseInstance.objects.filter(institution=institution)
        .filter(offered)
        .select_related("course")
        .order_by("course__code", "start_date", "instance_code")
    )


def module_choices(instances: QuerySet[CourseInstance]) -> QuerySet[Module]:
    """The modules of the courses of those instances."""
    return (
        Module.objects.filter(course_id__in=instances.values("course_id"))
        .select_related("course")
        .order_by("course__code", "position", "code")
    )


def retake_choices(
    user: User,
    institution: Institution,
    today: datetime.date,
    session: ActivitySession | None = None,
) -> QuerySet[ActivitySession]:
    """Sessions the user manages from today on, which could be a re-take, and the session's
    current re-take; never the session itself."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    offered = Q(starts_at__gte=start)
    choices = managed_sessions(user, institution)
    if session is not None:
        if session.retake_id is not None:
            offered |= Q(pk=session.retake_id)
        choices = choices.exclude(pk=session.pk)
    return choices.filter(offered).order_by("starts_at", "id")
