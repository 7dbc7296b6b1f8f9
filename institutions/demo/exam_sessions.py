"""Activity sessions for the demo (issue #4): for the course instances the demo students are
registered on, sessions open for sign-up now, opening later, signed up, past, anonymous and not,
and a re-take linked to an exam so its reporting deadline shows the two-week rule."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from exams.codes import new_code
from exams.models import ActivitySession, Signup
from institutions.demo.universities import UNIVERSITIES
from institutions.models import Institution
from people.models import Person
from registration.models import CourseParticipation, ParticipationState

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    label: str
    name_sv: str
    name_en: str
    starts_in: int  # days from today
    signup: tuple[int, int] | None  # opens, closes in days from today
    anonymous: bool = False
    capacity: int | None = None
    kind: str = "written"


# Where each university's written exams take place: a room in its own town.
EXAM_ROOMS = {
    "lu": "Sparta, sal A",
    "uu": "Ångströmlaboratoriet, Polhemssalen",
    "kth": "Q-huset, sal Q1",
}
TOWNS = {university.code: university.town for university in UNIVERSITIES}


def _where(institution_id: int) -> tuple[str, str]:
    code = Institution.objects.values_list("code", flat=True).get(pk=institution_id)
    return TOWNS[code], EXAM_ROOMS[code]


def _at(today: datetime.date, days: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today + days * DAY, datetime.time(hour)))


def create_session(institution_id: int, instances: list, plan: Plan, today: datetime.date):
    town, room = _where(institution_id)
    session = ActivitySession.objects.create(
        institution_id=institution_id,
        kind=plan.kind,
        label=plan.label,
        name_sv=plan.name_sv,
        name_en=plan.name_en,
        starts_at=_at(today, plan.starts_in, 8),
        ends_at=_at(today, plan.starts_in, 13),
        town=town,
        place=room if plan.kind != "home" else "",
        link="https://canvas.example.se/exam" if plan.kind == "home" else "",
        signup_opens=today + plan.signup[0] * DAY if plan.signup else None,
        signup_closes=today + plan.signup[1] * DAY if plan.signup else None,
        capacity=plan.capacity,
        anonymous=plan.anonymous,
    )
    session.course_instances.set(instances)
    return session


def sign_up(session: ActivitySession, person_ids: list[int], today: datetime.date) -> None:
    """The persons signed up within the session's sign-up window, the day before `today` where
    the window is still open, else the day after it opened (never in the future)."""
    created = Signup.objects.bulk_create(
        Signup(
            institution_id=session.institution_id,
            session=session,
            person_id=person_id,
            anonymisation_code=new_code(session.label) if session.anonymous else None,
        )
        for person_id in person_ids
    )
    day = max(session.signup_opens, min(session.signup_opens + DAY, today - DAY))
    day = min(day, session.signup_closes)
    Signup.objects.filter(pk__in=[signup.pk for signup in created]).update(
        signed_up_at=_at(day, 0, 10)
    )


def _registered_instances(person: Person) -> list:
    return list(
        CourseParticipation.objects.filter(person=person, state=ParticipationState.REGISTERED)
        .select_related("course_instance")
        .order_by("course_instance__start_date", "pk")
    )


def create_exam_sessions(today: datetime.date) -> None:
    """Sessions for every course instance the demo `student` is registered on, at each of her
    universities; `student2` signed up for one."""
    student = Person.objects.get(user__username="student")
    by_institution: dict[int, list] = {}
    for participation in _registered_instances(student):
        by_institution.setdefault(participation.institution_id, []).append(participation)
    for institution_id, participations in by_institution.items():
        _sessions_at(institution_id, participations, student, today)
    student2 = Person.objects.filter(user__username="student2").first()
    if student2 is not None:
        for participation in _registered_instances(student2)[:1]:
            session = create_session(
                participation.institution_id,
                [participation.course_instance],
                Plan("TEN1", "Tentamen", "Written exam", 18, (-10, 5), capacity=80),
                today,
            )
            sign_up(session, [student2.pk], today)


def _classmates(instance_id: int, but: int) -> list[int]:
    return list(
        CourseParticipation.objects.filter(
            course_instance_id=instance_id, state=ParticipationState.REGISTERED
        )
        .exclude(person_id=but)
        .values_list("person_id", flat=True)[:12]
    )


def _sessions_at(
    institution_id: int, participations: list, student: Person, today: datetime.date
) -> None:
    first = participations[0].course_instance
    second = participations[-1].course_instance
    # Open for sign-up now, not yet signed up: the start page's "open for sign-up" section.
    create_session(
        institution_id,
        [first],
        Plan("TEN1", "Tentamen", "Written exam", 24, (-5, 12), capacity=150),
        today,
    )
    # Signed up, anonymous: the expanded card shows her code.
    signed = create_session(
        institution_id,
        [second],
        Plan(
            "TEN2", "Salstentamen, anonym", "Written exam, anonymous", 16, (-14, 3), anonymous=True
        ),
        today,
    )
    sign_up(signed, [student.pk, *_classmates(second.pk, student.pk)], today)
    # Sign-up opens later.
    create_session(
        institution_id,
        [first],
        Plan("LAB1", "Laborationsredovisning", "Laboratory report", 45, (6, 30), kind="lab"),
        today,
    )
    # Past, anonymous, with a re-take linked to it (reporting deadline two weeks before it).
    past = create_session(
        institution_id,
        [second],
        Plan("TEN0", "Tentamen", "Written exam", -20, (-45, -27), anonymous=True),
        today,
    )
    sign_up(past, [student.pk, *_classmates(second.pk, student.pk)], today)
    retake = create_session(
        institution_id,
        [second],
        Plan("OMT0", "Omtentamen", "Re-take", 30, (10, 23), kind="retake"),
        today,
    )
    past.retake = retake
    past.save(update_fields=["retake"])
