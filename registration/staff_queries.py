"""Reads for the staff pages about one student (T-ADM-2; issue #3, point 7), shaped for them,
with a fixed number of SQL queries whatever the student's history.

Everything is read within one university, the staff member's current one: a person with records
only elsewhere is "not found" here, so a search never tells whether someone studies at another
university.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, CourseInstancePeriod
from institutions.models import Institution
from ladokportal import clock
from people import identity
from people.models import Person, User
from registration import eligibility
from registration.models import (
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from registration.rules import managed_course_instances


@dataclass(frozen=True)
class StudentKey:
    """What staff search by: a personal identity number (canonical twelve digits), or, for a
    student without one, the birth date and the local number (S-CONT-4)."""

    identity_number: str | None = None
    birth_date: datetime.date | None = None
    local_number: str = ""


# Birth date and local number (S-CONT-4), as the portal shows them: 19990308-T001. A local
# number holds at least one letter, which tells it apart from a personal identity number.
_LOCAL = re.compile(r"^(?P<date>\d{8})-?(?P<local>(?=[A-Z0-9]{1,10}$)[0-9]*[A-Z][A-Z0-9]*)$")


def parse_student_key(raw: str) -> StudentKey:
    """A personal identity number (validated and normalised by people.identity) or a birth date
    with a local number; ValidationError with a reason fit to show a person."""
    text = re.sub(r"\s", "", raw or "").upper()
    local = _LOCAL.match(text)
    if local is None:
        return StudentKey(identity_number=identity.normalise(text))
    try:
        birth = datetime.datetime.strptime(local["date"], "%Y%m%d").date()  # noqa: DTZ007 - naive: a date, no time
    except ValueError:
        raise ValidationError(
            _("The birth date %(date)s does not exist."),
            code="date",
            params={"date": local["date"]},
        ) from None
    if birth > clock.today():
        raise ValidationError(_("The birth date lies in the future."), code="date")
    return StudentKey(birth_date=birth, local_number=local["local"])


def _has_records_at(institution: Institution) -> Q:
    course = CourseParticipation.objects.filter(person=OuterRef("pk"), institution=institution)
    programme = ProgrammeParticipation.objects.filter(
        person=OuterRef("pk"), institution=institution
    )
    return Q(Exists(course)) | Q(Exists(programme))


def _students_at(institution: Institution) -> QuerySet[Person]:
    return Person.objects.filter(_has_records_at(institution))


def find_student(institution: Institution, key: StudentKey) -> Person | None:
    """The person with that number who has records at the university, else None (also when
    they exist only at another university). One query."""
    if key.identity_number:
        lookup = {"identity_number": key.identity_number}
    else:
        lookup = {"birth_date": key.birth_date, "local_number": key.local_number}
    return _students_at(institution).filter(**lookup).first()


def student_at(institution: Institution, public_id: uuid.UUID) -> Person | None:
    """The person behind a staff URL, only if they have records at the university. One query."""
    return _students_at(institution).filter(public_id=public_id).first()


def admission_choices(
    user: User, institution: Institution, today: datetime.date
) -> QuerySet[CourseInstance]:
    """The course instances the user may admit to: those they manage that have not ended."""
    return (
        managed_course_instances(user, institution.pk)
        .filter(end_date__gte=today)
        .select_related("course")
        .order_by("course__code", "start_date", "instance_code")
    )


# --- The student overview -----------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    """One line of a participation's history (ParticipationEvent)."""

    at: datetime.datetime
    actor: str
    by_student: bool
    from_label: str
    to_label: str
    note: str


@dataclass(frozen=True)
class PeriodRow:
    """A study period of a course instance, with the student's registration for it, or whether
    staff may register the student now (and if not, why: the rule the service applies)."""

    period: CourseInstancePeriod
    registration: Registration | None
    verdict: eligibility.Verdict | None


@dataclass
class CourseRow:
    participation: CourseParticipation
    periods: list[PeriodRow]
    managed: bool
    history: list[EventRow]


@dataclass
class ProgrammeRow:
    participation: ProgrammeParticipation
    leaves: list[LeaveOfAbsence]
    history: list[EventRow]
    takes_leave: bool
    courses: list[CourseRow] = field(default_factory=list)


@dataclass
class StudentOverview:
    person: Person
    programmes: list[ProgrammeRow]
    courses: list[CourseRow]

    @property
    def has_participations(self) -> bool:
        return bool(self.programmes or self.courses)


_LABELS = dict(ParticipationState.choices)


def _actor_name(user: User | None) -> str:
    if user is None:
        return _("The system")
    if user.person is not None:
        return user.person.full_name
    return user.get_full_name() or user.username


def _history(person: Person, events: list[ParticipationEvent]) -> list[EventRow]:
    return [
        EventRow(
            at=event.at,
            actor=_actor_name(event.actor),
            by_student=event.actor is not None and event.actor.person_id == person.pk,
            from_label=str(_LABELS.get(event.from_state, event.from_state or "–")),
            to_label=str(_LABELS.get(event.to_state, event.to_state)),
            note=event.note,
        )
        for event in events
    ]


def _events() -> Prefetch:
    return Prefetch(
        "events",
        queryset=ParticipationEvent.objects.select_related("actor__person").order_by("at", "id"),
    )


def _course_row(
    person: Person, participation: CourseParticipation, managed: set[int], today: datetime.date
) -> CourseRow:
    by_period = {r.study_period_id: r for r in participation.registrations.all()}
    periods = list(participation.course_instance.periods.all())
    registered = {p.sequence for p in periods if p.study_period_id in by_period}
    rows = [
        PeriodRow(
            period=period,
            registration=by_period.get(period.study_period_id),
            verdict=None
            if period.study_period_id in by_period
            else eligibility.can_register(participation, period, registered, today, staff=True),
        )
        for period in periods
    ]
    return CourseRow(
        participation=participation,
        periods=rows,
        managed=participation.course_instance_id in managed,
        history=_history(person, list(participation.events.all())),
    )


def student_overview(
    user: User, institution: Institution, person: Person, today: datetime.date
) -> StudentOverview:
    """Everything the student takes or has taken at the university, with history and leaves:
    programmes with their courses, stand-alone courses. Eight queries whatever the history."""
    programmes = list(
        ProgrammeParticipation.objects.filter(person=person, institution=institution)
        .select_related("programme_instance__programme")
        .prefetch_related(
            Prefetch("leaves", queryset=LeaveOfAbsence.objects.order_by("start_date")), _events()
        )
        .order_by("programme_instance__start_date", "pk")
    )
    courses = list(
        CourseParticipation.objects.filter(person=person, institution=institution)
        .select_related("course_instance__course")
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.select_related("registered_by__person"),
            ),
            Prefetch(
                "course_instance__periods",
                queryset=CourseInstancePeriod.objects.select_related("study_period"),
            ),
            _events(),
        )
        .order_by("course_instance__start_date", "course_instance__course__code", "pk")
    )
    instance_ids = {c.course_instance_id for c in courses}
    managed = set(
        managed_course_instances(user, institution.pk)
        .filter(pk__in=instance_ids)
        .values_list("pk", flat=True)
    )
    rows = {
        p.pk: ProgrammeRow(
            participation=p,
            leaves=list(p.leaves.all()),
            history=_history(person, list(p.events.all())),
            takes_leave=eligibility.is_active(p.state),
        )
        for p in programmes
    }
    standalone = []
    for course in courses:
        row = _course_row(person, course, managed, today)
        programme = rows.get(course.programme_participation_id)
        (programme.courses if programme else standalone).append(row)
    return StudentOverview(person=person, programmes=list(rows.values()), courses=standalone)
