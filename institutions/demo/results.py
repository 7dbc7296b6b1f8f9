"""Results in the demo, made through results.services as staff make them, so that each has its
history (T-REP-1..4, T-CERT-1..2, T-REM-1, T-EXT-1, B-3, B-7, B-8), then dated back to when it
would have happened.

`student` (Stina) at Lund, reported by `teacher` and certified by `examiner`:
- MATA21, two terms ago: failed the written exam (U, 14 points), passed the re-take four weeks
  after the course (VG, 41 points); assignments G; the course grade VG rests on them;
- MATA22, two terms ago: written exam G, computer exercises credited (credit transfer); G;
- MATA23, last term: a G certified on her by mistake was removed by the examiner three days ago
  and the right grade, VG, certified with the course grade a day later: not yet seen, so
  her start page shows them as new results (S-HOME-1) the first time she logs in;
- MATM11, this term (once under way and she is registered): project 1 graded B, with the
  project's title shown to her and an internal note that is not; certified yesterday, new too.
Everything older she has seen.

Her classmates on MATA21 this term (`student2` and fourteen drawn students among them) sat an
anonymous digital exam ten days ago: each sign-up has its anonymisation code; the exam system
(an API client acting as `studyadmin`) pushed drafts keyed by code with points, which a
grade-threshold table turns into grades (B-8), and one record it sent was rejected (a grade of
another scale) and waits in the integration inbox (B-7). Their assignments are reported by
`teacher`: some marked ready with `examiner` notified, the rest drafts; two were certified
earlier and one of those is prepared for removal.

The e-mails these acts queue (B-2, T-REP-3) are recorded as sent: a demo must not mail anyone.
"""

import datetime
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone

from catalog.models import CourseInstance, Module
from exams.models import Signup
from institutions.demo.catalogue import DAY, WEEK, Catalogue
from institutions.demo.exam_sessions import Plan, create_session, sign_up
from institutions.demo.identities import NumberDrawer
from institutions.demo.participations import Clock, StudentPlan, enrol
from institutions.demo.persons import draw_student
from institutions.demo.result_history import Grades
from ladokportal import clock
from notifications.models import Notification
from people.models import Person, User
from registration.models import CourseParticipation, ParticipationState
from results.models import (
    AnnotationColumn,
    AnnotationKind,
    GradeThreshold,
    Result,
    ResultEvent,
    ResultSource,
    ResultState,
)
from results.services import certifying, removal, reporting
from results.services.integration import Pushed, demo_client, push
from results.validation import Entry

S = ParticipationState
# Drawn classmates on MATA21 this term, besides those the demo's draw put there.
COHORT = 14
# Points to grades on the digital exam (B-8): at least this many points propose the grade.
THRESHOLDS = (("VG", 38), ("G", 25), ("U", 0))


@dataclass(frozen=True)
class Row:
    person: Person
    grade: str
    day: datetime.date
    annotations: dict[str, str] | None = None


class Desk:
    """Reporting and certifying as the demo's teacher and examiner, through the services."""

    def __init__(self, staff: dict[str, User], today: datetime.date) -> None:
        self.teacher = staff["teacher"]
        self.examiner = staff["examiner"]
        self.today = today
        self.clock = Clock(today)
        self.grades = Grades()

    def report(
        self,
        instance: CourseInstance,
        module: Module | None,
        rows: list[Row],
        source: str = ResultSource.PAGE,
    ) -> list[Result]:
        scale_id = (module or instance.course).grading_scale_id
        reporting.save_drafts(
            self.teacher,
            course_instance=instance,
            module=module,
            entries=[
                Entry(
                    person=row.person,
                    grade=self.grades.code(scale_id, row.grade),
                    examination_date=row.day,
                    annotations=row.annotations or {},
                )
                for row in rows
            ],
            source=source,
        )
        return list(
            Result.objects.filter(
                course_instance=instance,
                module=module,
                state=ResultState.DRAFT,
                person__in=[row.person for row in rows],
            ).order_by("pk")
        )

    def ready(self, results: list[Result]) -> list[Result]:
        return reporting.mark_ready(
            self.teacher, results=results, graded_by=self.teacher, notify=self.examiner
        )

    def decide(self, instance: CourseInstance, module: Module | None, rows: list[Row], **kw):
        """Reported, marked ready and certified."""
        ready = self.ready(self.report(instance, module, rows, **kw))
        return certifying.certify(self.examiner, results=ready)

    def backdate(self, results: list[Result], days: list[datetime.date]) -> None:
        """Date each result's history: its k-th event on days[k] (the last day repeats; never
        before the event before it, never after today), and the result's own time stamps."""
        for result in results:
            events = list(ResultEvent.objects.filter(result=result).order_by("at", "pk"))
            moments = {}
            day = days[0]
            for k, event in enumerate(events):
                day = max(day, days[min(k, len(days) - 1)])
                moments[event.action] = self.clock.moment(day)
                ResultEvent.objects.filter(pk=event.pk).update(at=moments[event.action])
            Result.objects.filter(pk=result.pk).update(
                created_at=moments["reported"],
                certified_at=moments.get("certified"),
                removed_at=moments.get("removed"),
            )


def _modules(instance: CourseInstance) -> list[Module]:
    return list(Module.objects.filter(course_id=instance.course_id).order_by("position"))


def _column(module: Module, kind: str, *, shown: bool = True) -> None:
    AnnotationColumn.objects.create(
        institution_id=module.institution_id,
        course_id=module.course_id,
        module=module,
        kind=kind,
        shown_to_student=shown,
    )


def _columns(lu: Catalogue) -> None:
    """Annotation columns (T-REP-2): examination points on MATA21's written exam, shown to
    students; on MATM11's first project its title, shown, and an internal note, not shown."""
    exam = _modules(lu.instance("MATA21", "current"))[0]
    project = _modules(lu.instance("MATM11", "current"))[0]
    _column(exam, AnnotationKind.POINTS)
    _column(project, AnnotationKind.TITLE)
    _column(project, AnnotationKind.TEXT, shown=False)


def after(day: datetime.date, *steps: int) -> list[datetime.date]:
    return [day + n * DAY for n in steps]


def _failed_then_passed(desk: Desk, lu: Catalogue, me: Person) -> list[Result]:
    instance = lu.instance("MATA21", "before_last")
    exam, assignments = _modules(instance)
    end = instance.end_date
    first, retake, handed_in = end - WEEK, end + 4 * WEEK, end - 2 * WEEK
    made = []
    for module, row in (
        (exam, Row(me, "U", first, {"points": "14"})),
        (assignments, Row(me, "G", handed_in)),
        (exam, Row(me, "VG", retake, {"points": "41"})),
        (None, Row(me, "VG", retake)),
    ):
        results = desk.decide(instance, module, [row])
        desk.backdate(results, after(row.day, 2, 4, 6))
        made += results
    return made


def _with_credit_transfer(desk: Desk, lu: Catalogue, me: Person) -> list[Result]:
    instance = lu.instance("MATA22", "before_last")
    exam, exercises = _modules(instance)
    day, credited = instance.end_date - WEEK, instance.start_date + 2 * WEEK
    made = []
    for module, row, source in (
        (exercises, Row(me, "G", credited), ResultSource.CREDIT),
        (exam, Row(me, "G", day), ResultSource.PAGE),
        (None, Row(me, "G", day), ResultSource.PAGE),
    ):
        results = desk.decide(instance, module, [row], source=source)
        desk.backdate(results, after(row.day, 2, 4, 6))
        made += results
    return made


def _removed_and_corrected(desk: Desk, lu: Catalogue, me: Person) -> None:
    """Certified on the wrong student last term, removed by the examiner's decision three days
    ago; the right grade and the course grade certified two days ago (not yet seen)."""
    instance = lu.instance("MATA23", "last")
    (exam,) = _modules(instance)
    day = instance.end_date - WEEK
    # Three days ago, or the day after the wrong grade was certified if the term just ended.
    corrected = max(desk.today - 3 * DAY, day + 7 * DAY)
    wrong = desk.decide(instance, exam, [Row(me, "G", day)])[0]
    removal.remove(
        desk.examiner,
        result=wrong,
        reason="Reported on the wrong student; corrected by decision LU 2025/1412",
    )
    desk.backdate([wrong], [*after(day, 2, 4, 6), corrected])
    for module in (exam, None):
        results = desk.decide(instance, module, [Row(me, "VG", day)])
        desk.backdate(results, after(corrected, 0, 0, 1))


def _project_this_term(desk: Desk, lu: Catalogue, me: Person) -> None:
    """MATM11 project 1, certified yesterday, once the course has run two weeks."""
    instance = lu.instance("MATM11", "current")
    registered = CourseParticipation.objects.filter(
        person=me, course_instance=instance, state=S.REGISTERED
    ).exists()
    if not registered or instance.start_date > desk.today - 2 * WEEK:
        return
    project = _modules(instance)[0]
    row = Row(
        me,
        "B",
        desk.today - WEEK,
        {
            "title": "Traffic flow at Lund Central Station: a cellular automaton model",
            "text": "Second reader: Dr Sofia Bergman. Oral defence well prepared.",
        },
    )
    results = desk.decide(instance, project, [row])
    desk.backdate(results, after(desk.today, -5, -3, -1))


def _stina(desk: Desk, lu: Catalogue) -> None:
    me = Person.objects.get(user__username="student")
    seen = _failed_then_passed(desk, lu, me) + _with_credit_transfer(desk, lu, me)
    for result in Result.objects.filter(pk__in=[r.pk for r in seen]):
        Result.objects.filter(pk=result.pk).update(seen_by_student_at=result.certified_at)
    _removed_and_corrected(desk, lu, me)
    _project_this_term(desk, lu, me)


# --- Classmates on MATA21 this term -------------------------------------------------------------


def _digital_exam(desk: Desk, instance: CourseInstance, exam: Module, people: list[Person]):
    """Ten days ago, anonymous, every classmate signed up with a code; points to grades."""
    plan = Plan("DIG1", "Digital tentamen, anonym", "Digital exam, anonymous", -10, (-40, -17))
    session = create_session(
        instance.institution_id, [instance], replace(plan, anonymous=True), desk.today
    )
    session.modules.set([exam])
    sign_up(session, [p.pk for p in people], desk.today)
    GradeThreshold.objects.bulk_create(
        GradeThreshold(
            institution_id=instance.institution_id,
            session=session,
            grade=desk.grades.code(exam.grading_scale_id, code),
            min_points=Decimal(points),
        )
        for code, points in THRESHOLDS
    )
    return session


def _grade_for(points: int) -> str:
    return next(code for code, least in THRESHOLDS if points >= least)


def _exam_system(lu: Catalogue, staff: dict[str, User], session, rng: random.Random) -> str:
    """The exam system pushes drafts keyed by anonymisation code; its last record carries a
    grade of another scale and is rejected (kept in the integration inbox). Its token."""
    client, token = demo_client(lu.institution, staff["studyadmin"])
    day = clock.date_of(session.starts_at)
    signups = Signup.objects.filter(session=session).order_by("pk")
    codes = list(signups.values_list("anonymisation_code", flat=True))
    records = []
    for n, code in enumerate(codes, start=1):
        points = rng.randint(12, 48)
        records.append(
            Pushed(
                grade=_grade_for(points),
                examination_date=day,
                anonymisation_code=code,
                points=Decimal(points),
                external_id=f"DIG1-{n:03d}",
            )
        )
    if records:
        records[-1] = replace(records[-1], grade="A")
    push(client, session=session, records=records)
    return token


def _assignments(desk: Desk, instance: CourseInstance, module: Module, people: list[Person]):
    """Two certified earlier (one of them now prepared for removal), then the rest reported
    this week: the first half marked ready with the examiner notified, the others drafts."""
    earlier, rest = people[:2], people[2:]
    certified = desk.decide(instance, module, [Row(p, "G", desk.today - 3 * WEEK) for p in earlier])
    desk.backdate(certified, after(desk.today, -19, -17, -15))
    if len(certified) > 1:
        removal.prepare_removal(
            desk.teacher,
            result=certified[1],
            reason="Suspected plagiarism, case LU 2025/311: removal prepared for the examiner",
        )
    if not rest:
        return
    day = desk.today - 6 * DAY
    rows = [Row(p, "U" if n == len(rest) - 1 else "G", day) for n, p in enumerate(rest)]
    drafts = desk.report(instance, module, rows)
    desk.ready(drafts[: (len(drafts) + 1) // 2])


def _cohort(instance: CourseInstance, today: datetime.date, rng: random.Random) -> None:
    """Drawn students registered on the instance, so the reporting lists look like a class.
    Their numbers come from the drawn students' range, never taken twice (identities.py)."""
    taken = set(
        Person.objects.exclude(identity_number=None).values_list("identity_number", flat=True)
    )
    drawer = NumberDrawer(rng, taken)
    people = [draw_student(rng, drawer, f".c{n}") for n in range(COHORT)]
    Person.objects.bulk_create(people)
    enrol([StudentPlan(p, courses=[(instance, S.REGISTERED)]) for p in people], today)


def _classmates(desk: Desk, lu: Catalogue, staff: dict[str, User], rng: random.Random) -> str:
    instance = lu.instance("MATA21", "current")
    exam, assignments = _modules(instance)
    _cohort(instance, desk.today, rng)
    people = [
        p.person
        for p in CourseParticipation.objects.filter(course_instance=instance, state=S.REGISTERED)
        .select_related("person")
        .order_by("pk")
    ]
    session = _digital_exam(desk, instance, exam, people)
    token = _exam_system(lu, staff, session, rng)
    _assignments(desk, instance, assignments, people)
    return token


def create_demo_results(
    lu: Catalogue, staff: dict[str, User], today: datetime.date, rng: random.Random
) -> list[tuple[str, str]]:
    """After the participations and exam sessions: Stina's results and her classmates'. The
    exam system's API token per university, to be printed once."""
    desk = Desk(staff, today)
    _columns(lu)
    _stina(desk, lu)
    token = _classmates(desk, lu, staff, rng)
    # Recorded as sent so that no e-mail leaves the demo (notifications.delivery claims only
    # unsent rows); the rows themselves show what would have been sent.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    return [(lu.institution.name_en, token)]
