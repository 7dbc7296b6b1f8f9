"""Reads for the student's study pages, shaped for them, with a fixed number of SQL queries.
Everything is read through the logged-in person in the current university's scope.

What is shown where (S-HOME-3, S-EDU-1, S-WD-1..2) is decided here, once, as database filters;
whether an action is offered is asked of registration.eligibility, the rules the services apply.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstancePeriod, Module
from exams.models import first_session_start
from fees import queries as fee_queries
from institutions.models import InstitutionSettings
from people.models import Person
from registration import eligibility
from registration.models import (
    CourseParticipation,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from results.models import Result
from results.queries import student as result_queries

S = ParticipationState

# A place the student holds and may still act on (register, withdraw, drop out, change).
TAKING = (S.ADMITTED, S.EXPECTED, S.REGISTERED)
NOT_STARTED = (S.ADMITTED, S.EXPECTED)

STATUS_LABELS: dict[str, Promise] = {
    S.ADMITTED: pgettext_lazy("course status", "Not yet registered"),
    S.EXPECTED: pgettext_lazy("course status", "Not yet registered"),
    S.REGISTERED: pgettext_lazy("course status", "Registered"),
    S.COMPLETED: pgettext_lazy("course status", "Completed"),
    S.DROPPED: pgettext_lazy("course status", "Dropped out"),
}


# --- What is shown ------------------------------------------------------------------------------


def _later_dropout() -> Q:
    return Q(state=S.DROPPED, early_dropout=False)


def current_course_filter(today: datetime.date) -> Q:
    """S-HOME-3: upcoming and ongoing courses the student holds a place on, and a later dropout
    while its study period lasts. Never withdrawn, early dropout, removed or changed ones."""
    return Q(course_instance__end_date__gte=today) & (Q(state__in=TAKING) | _later_dropout())


def shown_course_filter(today: datetime.date) -> Q:
    """S-EDU-1: everything taken, being taken or to be taken; hidden are withdrawal, early
    dropout, removed applications and choices, changed instances, and courses never started
    whose instance has ended."""
    return (
        Q(state__in=[S.REGISTERED, S.COMPLETED])
        | _later_dropout()
        | Q(state__in=NOT_STARTED, course_instance__end_date__gte=today)
    )


def shown_programme_filter(today: datetime.date) -> Q:
    """S-EDU-1, S-WD-2: a programme with dropout stays; withdrawn or removed ones go, as do
    programmes never started whose instance has ended."""
    return Q(state__in=[S.REGISTERED, S.COMPLETED, S.DROPPED]) | Q(
        state__in=NOT_STARTED, programme_instance__end_date__gte=today
    )


def own_course_participations(person: Person) -> QuerySet[CourseParticipation]:
    """The person's course participations at the current university (the base of every lookup
    by public id: another person's id is simply not there)."""
    return CourseParticipation.objects.filter(person=person).select_related(
        "course_instance__course"
    )


def own_programme_participations(person: Person) -> QuerySet[ProgrammeParticipation]:
    return ProgrammeParticipation.objects.filter(person=person).select_related(
        "programme_instance__programme"
    )


# --- Rows shaped for the pages ------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    """One study period of a course instance as the student sees it (S-REG-3)."""

    period: CourseInstancePeriod
    registration: Registration | None
    verdict: eligibility.Verdict
    window: str  # "open" | "upcoming" | "closed" | "none" (eligibility.registration_period_state)
    # What the student registers on: the period's credits, or after a partial change of
    # instance (S-SWAP-1) the part of the scope they re-register on.
    credits: Decimal | None = None

    @property
    def study_period(self):
        return self.period.study_period

    @property
    def is_continuation(self) -> bool:
        return self.period.sequence > 1


@dataclass(frozen=True)
class CourseRow:
    participation: CourseParticipation
    periods: tuple[PeriodRow, ...]
    today: datetime.date

    @property
    def instance(self):
        return self.participation.course_instance

    @property
    def course(self):
        return self.participation.course_instance.course

    @property
    def status(self) -> str:
        state = self.participation.state
        return STATUS_LABELS.get(state) or self.participation.get_state_display()

    @property
    def next_period(self) -> PeriodRow | None:
        """The first study period still to register for (in the change-of-instance scope)."""
        scope = self.participation.scope_period_id
        return next(
            (
                row
                for row in self.periods
                if row.registration is None and scope in (None, row.period.pk)
            ),
            None,
        )

    @property
    def registration_opens_in_days(self) -> int | None:
        """S-REG-2: days until the next registration period opens, when it has not yet."""
        row = self.next_period
        if row is None or row.verdict or row.verdict.opens_on is None:
            return None
        return (row.verdict.opens_on - self.today).days

    @property
    def fee_notice(self) -> str:
        """Why the open registration waits for a tuition fee payment, and what to pay (#15)."""
        row = self.next_period
        return row.verdict.reason if row is not None and row.verdict.fee_unpaid else ""

    @property
    def open_periods(self) -> list[PeriodRow]:
        """Periods the student may register for now (S-REG-1)."""
        return [row for row in self.periods if row.verdict]


def _period_rows(
    participation: CourseParticipation, today: datetime.date, holds: dict | None = None
) -> tuple[PeriodRow, ...]:
    """Every study period of the participation's instance with the student's registration and
    the eligibility verdict, from prefetched periods and registrations and the student's unpaid
    fee periods (`holds`, fees.queries.registration_holds) (no query)."""
    registrations = {r.study_period_id: r for r in participation.registrations.all()}
    periods = list(participation.course_instance.periods.all())
    registered = {p.sequence for p in periods if p.study_period_id in registrations}
    programme = participation.programme_participation
    return tuple(
        PeriodRow(
            period=period,
            registration=registrations.get(period.study_period_id),
            verdict=eligibility.can_register(
                participation,
                period,
                registered,
                today,
                fee_hold=fee_queries.hold_for(
                    holds or {},
                    course_instance_id=participation.course_instance_id,
                    programme_instance_id=programme.programme_instance_id if programme else None,
                    study_period_id=period.study_period_id,
                ),
            ),
            window=eligibility.registration_period_state(period, today)[0],
            credits=_credits(participation, period),
        )
        for period in periods
    )


def _credits(participation: CourseParticipation, period: CourseInstancePeriod) -> Decimal:
    """A partial change of instance re-registers on part of the scope (S-SWAP-1): that part
    is what the registration covers, in the study period it names or in each."""
    partial = participation.scope_credits
    if partial and participation.scope_period_id in (None, period.pk):
        return min(partial, period.credits)
    return period.credits


def fee_holds(person: Person, participations: list[CourseParticipation]) -> dict:
    """The person's unpaid fee periods on these courses and their programmes: one query for a
    fee-liable student, none for anyone else (participations annotated by `_with_periods`)."""
    if not any(getattr(p, "fee_liable", True) for p in participations):
        return {}
    return fee_queries.registration_holds(
        person.pk,
        course_instance_ids={p.course_instance_id for p in participations},
        programme_instance_ids={
            p.programme_participation.programme_instance_id
            for p in participations
            if p.programme_participation is not None
        },
    )


def _with_periods(queryset: QuerySet[CourseParticipation]) -> QuerySet[CourseParticipation]:
    """Two queries more whatever the number of courses: periods (with their study period) and
    the student's registrations."""
    return (
        queryset.select_related("course_instance__course", "programme_participation")
        .annotate(fee_liable=fee_queries.is_fee_liable())
        .prefetch_related(
            Prefetch(
                "course_instance__periods",
                queryset=CourseInstancePeriod.objects.select_related("study_period").order_by(
                    "sequence"
                ),
            ),
            "registrations",
        )
    )


def _rows(
    participations: Iterable[CourseParticipation], today: datetime.date, holds: dict | None = None
) -> list[CourseRow]:
    return [CourseRow(p, _period_rows(p, today, holds), today) for p in participations]


# --- Start page (S-HOME-3, S-REG-1..3) ----------------------------------------------------------


@dataclass(frozen=True)
class OpenRegistration:
    """A study period the student may register for now."""

    row: CourseRow
    period: PeriodRow


def start_page(person: Person, today: datetime.date) -> dict:
    """The registration and current-course sections of the start page. Lazy: three queries
    when either section is shown (they share them), none when both are switched off."""

    def rows() -> list[CourseRow]:
        participations = _with_periods(
            CourseParticipation.objects.filter(current_course_filter(today), person=person)
        ).order_by("course_instance__start_date", "course_instance__course__code", "pk")
        participations = list(participations)
        return _rows(participations, today, fee_holds(person, participations))

    current = SimpleLazyObject(rows)
    return {
        "registrations_open": SimpleLazyObject(
            lambda: [
                OpenRegistration(row, period) for row in current for period in row.open_periods
            ]
        ),
        "current_courses": current,
    }


# --- Course page (S-EDU-3, S-WD-1..2, S-SWAP-1) -------------------------------------------------


@dataclass(frozen=True)
class CoursePage:
    row: CourseRow
    modules: list[Module]
    withdraw: eligibility.Verdict
    drop_out: eligibility.Verdict
    change_instance: eligibility.Verdict
    early_dropout: bool
    settings: InstitutionSettings

    @property
    def participation(self) -> CourseParticipation:
        return self.row.participation

    @property
    def taking(self) -> bool:
        """Whether the participation actions concern the student at all (a place is held)."""
        return self.participation.state in TAKING

    @property
    def changed_to(self) -> CourseParticipation | None:
        return getattr(self.participation, "changed_to", None)

    @property
    def leave(self) -> "Leaving":
        return Leaving.decide(self.participation, self.withdraw, self.drop_out)


@dataclass(frozen=True)
class Leaving:
    """The one "I do not want to take this course" entry (S-WD-1, S-WD-2): withdrawal where the
    rules allow it, else dropout from a registered place; refused, the reason of the way that
    concerns the student (B-1)."""

    kind: str  # "withdraw" | "drop_out"
    verdict: eligibility.Verdict

    @classmethod
    def decide(
        cls,
        participation: CourseParticipation | ProgrammeParticipation,
        withdraw: eligibility.Verdict,
        drop_out: eligibility.Verdict,
    ) -> "Leaving":
        if withdraw or participation.state != S.REGISTERED:
            return cls("withdraw", withdraw)
        return cls("drop_out", drop_out)

    @property
    def is_dropout(self) -> bool:
        return self.kind == "drop_out"


def course_page(
    person: Person,
    public_id: uuid.UUID,
    settings: InstitutionSettings,
    today: datetime.date,
) -> CoursePage | None:
    """One of the person's course participations with its instance, study periods,
    registrations, modules and the verdicts for each action (early dropout asks for a passed
    result in the same query as the participation). Four queries."""
    participation = (
        _with_periods(CourseParticipation.objects.filter(person=person, public_id=public_id))
        .annotate(first_exam=first_session_start(), passed=eligibility.passed_result_exists())
        .select_related(
            "course_instance__course__grading_scale",
            "programme_participation__programme_instance__programme",
            "changed_from__course_instance",
            "changed_to",
            "scope_period__study_period",
        )
        .prefetch_related(
            Prefetch(
                "course_instance__course__modules",
                queryset=Module.objects.select_related("grading_scale"),
            )
        )
        .first()
    )
    if participation is None:
        return None
    return CoursePage(
        row=CourseRow(
            participation,
            _period_rows(participation, today, fee_holds(person, [participation])),
            today,
        ),
        modules=list(participation.course_instance.course.modules.all()),
        withdraw=eligibility.can_withdraw(participation, settings),
        drop_out=eligibility.can_drop_out(participation, settings),
        change_instance=eligibility.can_change_instance(participation, settings),
        early_dropout=eligibility.is_early_dropout(
            participation,
            settings,
            today,
            first_exam=participation.first_exam,
            passed=participation.passed,
        ),
        settings=settings,
    )


# --- Programme page (S-EDU-4, S-WD-1..2) --------------------------------------------------------


@dataclass(frozen=True)
class CoveredCourse:
    """A course a programme withdrawal or dropout also covers, and what happens to it."""

    participation: CourseParticipation
    early: bool

    @property
    def will_be_dropped(self) -> bool:
        """Registered courses are dropped with the programme; places not taken up withdrawn
        (registration.services.drop_out_of_programme)."""
        return self.participation.state == S.REGISTERED


@dataclass(frozen=True)
class ProgrammePage:
    participation: ProgrammeParticipation
    courses: list[CourseRow]
    covered: list[CoveredCourse]
    withdraw: eligibility.Verdict
    drop_out: eligibility.Verdict
    settings: InstitutionSettings

    @property
    def programme(self):
        return self.participation.programme_instance.programme

    @property
    def instance(self):
        return self.participation.programme_instance

    @property
    def taking(self) -> bool:
        return self.participation.state in TAKING

    @property
    def leave(self) -> Leaving:
        return Leaving.decide(self.participation, self.withdraw, self.drop_out)

    @property
    def is_doctoral(self) -> bool:
        return self.programme.kind == "doctoral"

    @property
    def study_plan(self):
        return getattr(self.participation, "study_plan", None)

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.participation.state) or (
            self.participation.get_state_display()
        )


def programme_page(
    person: Person,
    public_id: uuid.UUID,
    settings: InstitutionSettings,
    today: datetime.date,
) -> ProgrammePage | None:
    """One of the person's programme participations with its leaves of absence, its courses
    (those shown, and those a withdrawal or dropout would cover), and for doctoral students the
    individual study plan and study activity. Six queries."""
    course_order = ("course_instance__start_date", "course_instance__course__code", "pk")
    participation = (
        ProgrammeParticipation.objects.filter(person=person, public_id=public_id)
        .select_related("programme_instance__programme", "study_plan")
        .prefetch_related(
            "leaves",
            "study_activities",
            Prefetch(
                "course_participations",
                queryset=CourseParticipation.objects.filter(shown_course_filter(today))
                .select_related("course_instance__course")
                .order_by(*course_order),
                to_attr="shown_courses",
            ),
            Prefetch(
                "course_participations",
                queryset=CourseParticipation.objects.filter(state__in=TAKING)
                .annotate(
                    first_exam=first_session_start(), passed=eligibility.passed_result_exists()
                )
                .select_related("course_instance__course")
                .order_by("pk"),
                to_attr="covered_courses",
            ),
        )
        .first()
    )
    if participation is None:
        return None
    return ProgrammePage(
        participation=participation,
        courses=[CourseRow(p, (), today) for p in participation.shown_courses],
        covered=[
            CoveredCourse(
                p,
                eligibility.is_early_dropout(
                    p, settings, today, first_exam=p.first_exam, passed=p.passed
                ),
            )
            for p in participation.covered_courses
        ],
        withdraw=eligibility.can_withdraw(participation, settings),
        drop_out=eligibility.can_drop_out(participation, settings),
        settings=settings,
    )


# --- My education (S-EDU-1, S-EDU-2) ------------------------------------------------------------


class EducationFilter:
    ALL = "all"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"
    CREDITED = "credited"

    CHOICES = (
        (ALL, pgettext_lazy("education filter", "All")),
        (COMPLETED, pgettext_lazy("education filter", "Completed")),
        (NOT_COMPLETED, pgettext_lazy("education filter", "Not completed")),
        (CREDITED, pgettext_lazy("education filter", "Credited")),
    )


@dataclass
class ProgrammeGroup:
    participation: ProgrammeParticipation
    courses: list[CourseRow] = field(default_factory=list)

    @property
    def programme(self):
        return self.participation.programme_instance.programme

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.participation.state) or (
            self.participation.get_state_display()
        )


@dataclass(frozen=True)
class MyEducation:
    programmes: list[ProgrammeGroup]
    courses: list[CourseRow]
    completed_credits: Decimal
    credited_credits: Decimal
    show: str
    # Under the Credited filter: every credit transfer, one row per credited target (S-EDU-2).
    credited: list[Result] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.programmes and not self.courses and not self.credited


def _completed_filter(show: str) -> Q | None:
    """S-EDU-2: Completed means a certified final grade (slutbetyg) on the course instance,
    read from the results themselves, so a course grade later removed no longer counts."""
    if show == EducationFilter.COMPLETED:
        return Q(completed=True)
    if show == EducationFilter.NOT_COMPLETED:
        return Q(completed=False)
    return None


def my_education(person: Person, today: datetime.date, show: str) -> MyEducation:
    """Programmes with their courses, stand-alone courses, and the credit summary computed in
    the database from certified results (results.queries.student.credit_summary). Three
    queries whatever the student's history; under the Credited filter one more lists the
    credit transfers (certified results of source "credit") instead of the courses."""
    programmes = list(
        ProgrammeParticipation.objects.filter(shown_programme_filter(today), person=person)
        .select_related("programme_instance__programme")
        .order_by("programme_instance__start_date", "pk")
    )
    courses: list[CourseParticipation] = []
    if show != EducationFilter.CREDITED:
        completed = _completed_filter(show)
        courses = list(
            CourseParticipation.objects.filter(shown_course_filter(today), person=person)
            .annotate(completed=result_queries.final_grade_exists())
            .filter(completed or Q())
            .select_related("course_instance__course")
            .order_by("course_instance__start_date", "course_instance__course__code", "pk")
        )
    groups = {p.pk: ProgrammeGroup(p) for p in programmes}
    alone: list[CourseRow] = []
    for row in _rows_without_periods(courses, today):
        group = groups.get(row.participation.programme_participation_id)
        (group.courses if group else alone).append(row)
    credits = result_queries.credit_summary(person)
    # Credit transfers show under Credited, and as other results under All and Completed
    # (S-EDU-1, S-CRED-3).
    credited = (
        result_queries.credited_results(person) if show != EducationFilter.NOT_COMPLETED else []
    )
    return MyEducation(
        programmes=[g for g in groups.values() if _keep_group(g, show)],
        courses=alone,
        completed_credits=credits.completed,
        credited_credits=credits.credited,
        show=show,
        credited=credited,
    )


def _rows_without_periods(
    participations: Iterable[CourseParticipation], today: datetime.date
) -> list[CourseRow]:
    return [CourseRow(p, (), today) for p in participations]


def _keep_group(group: ProgrammeGroup, show: str) -> bool:
    """Under a filter a programme shows when its own state or one of its courses matches."""
    if show == EducationFilter.ALL:
        return True
    if show == EducationFilter.CREDITED:
        return False
    completed = group.participation.state == S.COMPLETED
    own_match = completed if show == EducationFilter.COMPLETED else not completed
    return own_match or bool(group.courses)
