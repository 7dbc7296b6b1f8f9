"""Reads for the staff Report pages (Rapportera: T-REP-1..4, T-REP-2, B-6, B-8, T-ANON-1), each
shaped for its page and costing a fixed number of SQL queries whatever the number of course
instances, participants or results.

Everything is read inside the current university's scope (institutions.middleware); rights are
judged by the caller with results.rules.Rights, which these functions take as given.

B-6: the reads behind the report-by-code page never load a name, an identity number or a person's
public id: persons are numbers the server keeps to itself (`CodeSheet.targets`).
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from catalog.models import Course, CourseInstance, Grade, Module
from exams.models import ActivitySession, Signup
from institutions.tree import covering_unit
from ladokportal import clock
from people.models import Person, StaffRole, User
from registration.models import CourseParticipation, Registration
from registration.staff_queries import StudentKey
from results import anonymity, validation
from results.models import (
    OPEN_STATES,
    VISIBLE_TO_STUDENT,
    AnnotationColumn,
    AnnotationKind,
    GradeThreshold,
    Result,
    ResultState,
)
from results.rules import CERTIFYING_ROLES, REPORTING_ROLES, Rights, reportable_instances

# --- The list of course instances -----------------------------------------------------------------


def instance_list(user: User, institution_id: int, search: str = "") -> QuerySet[CourseInstance]:
    """The course instances the person may report on, newest first, each with how many drafts
    and marked-ready results it holds; narrowed by course code or name when `search` is given.
    One query (plus the paginator's count)."""
    instances = (
        reportable_instances(user, institution_id)
        .select_related("course")
        .annotate(
            drafts=Count("results", filter=Q(results__state=ResultState.DRAFT)),
            ready=Count("results", filter=Q(results__state=ResultState.READY)),
        )
        .order_by("-start_date", "course__code", "instance_code")
    )
    search = search.strip()
    if search:
        instances = instances.filter(
            Q(course__code__icontains=search)
            | Q(course__name_sv__icontains=search)
            | Q(course__name_en__icontains=search)
            | Q(instance_code__icontains=search)
        )
    return instances


# --- The module choice page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A module (or the whole course, module None) with its columns and open results."""

    module: Module | None
    columns: list[AnnotationColumn]
    drafts: int
    ready: int


@dataclass(frozen=True)
class Overview:
    targets: list[Target]
    sessions: list[ActivitySession]


def overview(course_instance: CourseInstance) -> Overview:
    """What the module choice page shows: every module and the whole course with its annotation
    columns and counts of open results, and the instance's activity sessions. Five queries."""
    modules = list(
        Module.objects.filter(course_id=course_instance.course_id)
        .select_related("grading_scale")
        .order_by("position", "code")
    )
    counts: dict[int | None, dict[str, int]] = {}
    rows = (
        Result.objects.filter(course_instance=course_instance, state__in=OPEN_STATES)
        .values_list("module_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for module_id, state, n in rows:
        counts.setdefault(module_id, {})[state] = n
    columns: dict[int | None, list[AnnotationColumn]] = {}
    for column in AnnotationColumn.objects.filter(course_id=course_instance.course_id):
        columns.setdefault(column.module_id, []).append(column)

    def target(module: Module | None) -> Target:
        key = module.pk if module else None
        mine = counts.get(key, {})
        return Target(
            module=module,
            columns=sorted(columns.get(key, []), key=lambda c: _KIND_ORDER.index(c.kind)),
            drafts=mine.get(ResultState.DRAFT, 0),
            ready=mine.get(ResultState.READY, 0),
        )

    sessions = list(
        ActivitySession.objects.filter(course_instances=course_instance)
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.filter(course_id=course_instance.course_id),
                to_attr="own_modules",
            )
        )
        .order_by("-starts_at", "id")
    )
    return Overview(targets=[*(target(m) for m in modules), target(None)], sessions=sessions)


_KIND_ORDER = list(AnnotationKind.values)


def annotation_kinds(course_instance: CourseInstance, module: Module | None) -> list[str]:
    """The module's columns in a fixed order (points, title, note). One query."""
    kinds = validation.annotation_kinds(course_instance, module)
    return sorted(kinds, key=_KIND_ORDER.index)


# --- The report sheet -----------------------------------------------------------------------------


@dataclass
class SheetRow:
    person: Person
    # The undecided result this row edits, if any; None: the row reports a new one.
    open_result: Result | None = None
    # The certified result that counts (latest, on any instance of the course), if any.
    certified: Result | None = None
    # Course grade only: every module passed and certified, and what the page pre-fills.
    all_modules_passed: bool | None = None
    proposed_grade: Grade | None = None
    proposed_date: datetime.date | None = None
    # Sat an anonymous exam of this module whose result is not yet certified.
    anonymous_pending: bool = False

    @property
    def by_code(self) -> bool:
        """B-6: a participant of an anonymous exam not yet certified. Every such row looks the
        same, reported by code or not yet, so that which names have a result cannot be matched
        against the codes that have one."""
        return self.anonymous_pending or bool(
            self.open_result and anonymity.sealed(self.open_result)
        )


@dataclass
class Thresholds:
    """The points-to-grades tables (B-8) of the sessions examining one module on an instance."""

    by_session: dict[int, list[tuple[Grade, Decimal]]] = field(default_factory=dict)
    dates: dict[int, datetime.date] = field(default_factory=dict)

    def for_row(
        self, session_id: int | None, examination_date: datetime.date | None
    ) -> list[tuple[Grade, Decimal]]:
        """The table that applies: the row's own session's; else the session held that day;
        else the only one there is. Empty when none applies."""
        if session_id in self.by_session:
            return self.by_session[session_id]
        same_day = [s for s, day in self.dates.items() if day == examination_date]
        if len(same_day) == 1:
            return self.by_session[same_day[0]]
        if len(self.by_session) == 1:
            return next(iter(self.by_session.values()))
        return []


@dataclass
class Sheet:
    course_instance: CourseInstance
    module: Module | None
    grades: list[Grade]
    kinds: list[str]
    rows: list[SheetRow]
    thresholds: Thresholds


def participants(
    course_instance: CourseInstance, module: Module | None, extra_ids: list[int]
) -> QuerySet[Person]:
    """Registered on this instance, or with an open or certified result on it for this module,
    or added to the sheet by identity number (T-REP-4)."""
    registered = Registration.objects.filter(
        course_instance=course_instance, participation__person=OuterRef("pk")
    )
    with_result = Result.objects.filter(
        course_instance=course_instance,
        module=module,
        person=OuterRef("pk"),
        state__in=(*OPEN_STATES, *VISIBLE_TO_STUDENT),
    )
    return Person.objects.filter(
        Q(Exists(registered)) | Q(Exists(with_result)) | Q(pk__in=extra_ids)
    ).order_by("last_name", "first_name", "pk")


def _anonymous_pending(course_instance: CourseInstance, module: Module, ids: list[int]) -> set[int]:
    """Who sat an anonymous exam of this module on this instance (held already, sign-up active)
    without a certified result from it yet (B-6). One query."""

    from exams.models import Signup

    certified = Result.objects.filter(
        person_id=OuterRef("person_id"),
        activity_session_id=OuterRef("session_id"),
        state__in=VISIBLE_TO_STUDENT,
    )
    return set(
        Signup.objects.filter(
            person_id__in=ids,
            cancelled_at__isnull=True,
            session__anonymous=True,
            session__modules=module,
            session__course_instances=course_instance,
            session__starts_at__lte=timezone.now(),
        )
        .exclude(Exists(certified))
        .values_list("person_id", flat=True)
    )


def scale_grades(scale_id: int) -> list[Grade]:
    return list(Grade.objects.filter(scale_id=scale_id).order_by("rank"))


def sheet(
    course_instance: CourseInstance, module: Module | None, extra_ids: list[int] | None = None
) -> Sheet:
    """Everything the report sheet of one module (or the course grade) shows. Six queries for
    a module, six for the course grade, whatever the number of participants."""
    people = list(participants(course_instance, module, extra_ids or []))
    ids = [p.pk for p in people]
    rows = {p.pk: SheetRow(person=p) for p in people}
    results = (
        Result.objects.filter(person_id__in=ids, module=module)
        .filter(
            Q(course_instance=course_instance, state__in=OPEN_STATES)
            | Q(course_instance__course_id=course_instance.course_id, state__in=VISIBLE_TO_STUDENT)
        )
        .select_related("grade", "activity_session")
        .order_by("examination_date", "certified_at", "id")
    )
    for result in results:
        row = rows[result.person_id]
        if result.state in OPEN_STATES:
            row.open_result = result
        else:
            row.certified = result  # the latest certified counts, as in validation
    if module is not None:
        for person_id in _anonymous_pending(course_instance, module, ids):
            rows[person_id].anonymous_pending = True
    scale_id = validation.scale_of(course_instance, module)
    grades = scale_grades(scale_id)
    if module is None:
        _course_grade_basis(course_instance, rows, grades)
    return Sheet(
        course_instance=course_instance,
        module=module,
        grades=grades,
        kinds=annotation_kinds(course_instance, module),
        rows=list(rows.values()),
        thresholds=module_thresholds(course_instance, module),
    )


def _course_grade_basis(
    course_instance: CourseInstance, rows: dict[int, SheetRow], grades: list[Grade]
) -> None:
    module_ids, counting = validation.course_grade_basis(course_instance, list(rows))
    for person_id, row in rows.items():
        mine = counting.get(person_id, {})
        row.all_modules_passed = validation.all_modules_passed(module_ids, mine)
        row.proposed_grade, row.proposed_date = validation.proposed_course_grade(
            module_ids, mine, course_instance.course.grading_scale_id, grades
        )


def module_thresholds(course_instance: CourseInstance, module: Module | None) -> Thresholds:
    """The points tables of the sessions that examine this module on this instance. One query
    (none for the course grade: points belong to examinations of modules)."""
    found = Thresholds()
    if module is None:
        return found
    rows = (
        GradeThreshold.objects.filter(
            session__course_instances=course_instance,
            session__modules=module,
            grade__scale_id=module.grading_scale_id,
        )
        .select_related("grade", "session")
        .order_by("session_id", "-min_points")
    )
    for threshold in rows:
        found.by_session.setdefault(threshold.session_id, []).append(
            (threshold.grade, threshold.min_points)
        )
        found.dates[threshold.session_id] = clock.date_of(threshold.session.starts_at)
    return found


def open_results(
    course_instance: CourseInstance, module: Module | None, public_ids: list[uuid.UUID] | None
) -> list[Result]:
    """Open results reported by name on the sheet (none reported by code, B-6), those with the
    given public ids or, with None, all of them. One query."""
    results = (
        Result.objects.filter(course_instance=course_instance, module=module, state__in=OPEN_STATES)
        .exclude(activity_session__anonymous=True)
        .select_related("person")
    )
    if public_ids is not None:
        results = results.filter(public_id__in=public_ids)
    return list(results)


def find_for_course(course: Course, key: StudentKey) -> Person | None:
    """T-REP-4: the person with this number, if they are or were registered on any instance of
    the course. One query; None whether the number is unknown or not on the course."""
    if key.identity_number:
        lookup = {"identity_number": key.identity_number}
    else:
        lookup = {"birth_date": key.birth_date, "local_number": key.local_number}
    registered = Registration.objects.filter(
        participation__person=OuterRef("pk"), course_instance__course_id=course.pk
    )
    return Person.objects.filter(**lookup).filter(Exists(registered)).first()


# --- Mark as ready: who grades and whom to notify (T-REP-3) ---------------------------------------


def _holders(course: Course, institution_id: int, roles: tuple[str, ...]) -> QuerySet[User]:
    scope = Q(org_unit__isnull=True, course__isnull=True) | Q(course_id=course.pk)
    if course.org_unit_id is not None:
        scope |= covering_unit(course.org_unit_id)
    covering = StaffRole.objects.filter(
        scope, user=OuterRef("pk"), institution_id=institution_id, role__in=roles
    )
    return (
        User.objects.filter(Exists(covering), is_active=True)
        .select_related("person")
        .order_by("last_name", "first_name", "username")
    )


def grading_teachers(course: Course, institution_id: int) -> QuerySet[User]:
    """Who may be named grading teacher: anyone with a reporting right on the course."""
    return _holders(course, institution_id, REPORTING_ROLES)


def examiners(course: Course, institution_id: int) -> QuerySet[User]:
    """Whom to notify: the course's examiners (certifying right)."""
    return _holders(course, institution_id, CERTIFYING_ROLES)


# --- Activity sessions: report by code and points to grades ---------------------------------------


def session(public_id: uuid.UUID) -> ActivitySession | None:
    """One activity session of the current university with its course instances and modules.
    Three queries."""
    return (
        ActivitySession.objects.filter(public_id=public_id)
        .prefetch_related(
            Prefetch(
                "course_instances",
                queryset=CourseInstance.objects.select_related("course").order_by(
                    "-start_date", "instance_code"
                ),
            ),
            Prefetch(
                "modules",
                queryset=Module.objects.select_related("course", "grading_scale").order_by(
                    "course__code", "position", "code"
                ),
            ),
        )
        .first()
    )


def reportable_course_instances(
    activity_session: ActivitySession, rights: Rights
) -> list[CourseInstance]:
    """The session's course instances the person may report on (prefetched: no query)."""
    return [ci for ci in activity_session.course_instances.all() if rights.may_report(ci.course)]


def session_modules(activity_session: ActivitySession, rights: Rights) -> list[Module]:
    """The modules the session examines that the person may report on. A session linked to no
    module offers every module of its courses (one more query then)."""
    courses = {ci.course_id for ci in reportable_course_instances(activity_session, rights)}
    linked = [m for m in activity_session.modules.all() if m.course_id in courses]
    if linked or activity_session.modules.all():
        return linked
    return list(
        Module.objects.filter(course_id__in=courses)
        .select_related("course", "grading_scale")
        .order_by("course__code", "position", "code")
    )


def session_thresholds(activity_session: ActivitySession, module: Module) -> dict[int, Decimal]:
    """grade id → minimum points of the session's table on the module's scale. One query."""
    return dict(
        GradeThreshold.objects.filter(
            session=activity_session, grade__scale_id=module.grading_scale_id
        ).values_list("grade_id", "min_points")
    )


@dataclass
class CodeRow:
    """One row of the report-by-code page: a code and the result reported under it, if any.
    Nothing here names the person (B-6)."""

    code: str
    # The open or certified result reported on this session's code, if any.
    result: Result | None = None

    @property
    def certified(self) -> bool:
        return self.result is not None and self.result.state not in OPEN_STATES


@dataclass(frozen=True)
class CodeTarget:
    """Server-side only: whom a code stands for, on which instance, and whether that person
    already has an open result reported another way (by name or another session)."""

    person_id: int
    course_instance: CourseInstance
    open_elsewhere: Result | None


@dataclass
class CodeSheet:
    activity_session: ActivitySession
    module: Module
    grades: list[Grade]
    kinds: list[str]
    rows: list[CodeRow]
    thresholds: list[tuple[Grade, Decimal]]
    # code → target: never handed to a template.
    targets: dict[str, CodeTarget]


def code_sheet(
    activity_session: ActivitySession, module: Module, instances: list[CourseInstance]
) -> CodeSheet:
    """The report-by-code page of an anonymous session for one module (T-ANON-1, B-6): the codes
    of the session's active sign-ups who take the module's course, with the results reported
    under them. Five queries whatever the number of sign-ups."""
    instances = [ci for ci in instances if ci.course_id == module.course_id]
    by_pk = {ci.pk: ci for ci in instances}
    takes = CourseParticipation.objects.filter(
        person=OuterRef("person_id"), course_instance__course_id=module.course_id
    )
    on_session = (
        takes.filter(course_instance__in=list(by_pk))
        .order_by("-course_instance__start_date")
        .values("course_instance_id")[:1]
    )
    signups = (
        Signup.objects.filter(
            session=activity_session, cancelled_at__isnull=True, anonymisation_code__isnull=False
        )
        .filter(Exists(takes))
        .annotate(instance_id=Subquery(on_session))
        .order_by("anonymisation_code")
        .values_list("anonymisation_code", "person_id", "instance_id")
    )
    people = {code: (person_id, instance_id) for code, person_id, instance_id in signups}
    person_ids = [p for p, _i in people.values()]
    own: dict[int, Result] = {}
    elsewhere: dict[int, Result] = {}
    results = (
        Result.objects.filter(
            person_id__in=person_ids, module=module, course_instance__in=instances
        )
        .filter(
            Q(state__in=OPEN_STATES)
            | Q(activity_session=activity_session, state__in=VISIBLE_TO_STUDENT)
        )
        .select_related("grade")
        .order_by("examination_date", "certified_at", "id")
    )
    for result in results:
        if result.activity_session_id == activity_session.pk:
            own[result.person_id] = result
        else:
            elsewhere[result.person_id] = result
    fallback = instances[0] if instances else None
    targets: dict[str, CodeTarget] = {}
    rows: list[CodeRow] = []
    for code, (person_id, instance_id) in people.items():
        mine = own.get(person_id)
        # A result from this session that is open wins; a certified one blocks a new report
        # only while no other result is open.
        blocking = elsewhere.get(person_id) if mine is None or not _open(mine) else None
        targets[code] = CodeTarget(
            person_id=person_id,
            course_instance=by_pk.get(instance_id, fallback),
            open_elsewhere=blocking,
        )
        rows.append(CodeRow(code=code, result=mine if blocking is None else None))
    thresholds = [
        (t.grade, t.min_points)
        for t in GradeThreshold.objects.filter(
            session=activity_session, grade__scale_id=module.grading_scale_id
        ).select_related("grade")
    ]
    return CodeSheet(
        activity_session=activity_session,
        module=module,
        grades=scale_grades(module.grading_scale_id),
        kinds=annotation_kinds(instances[0], module) if instances else [],
        rows=rows,
        thresholds=thresholds,
        targets=targets,
    )


def _open(result: Result) -> bool:
    return result.state in OPEN_STATES


def session_open_results(
    activity_session: ActivitySession, module: Module, codes: list[str] | None
) -> list[tuple[str, Result]]:
    """Open results reported under the session's codes for the module, with their codes: those
    of the given codes, or all with None. Two queries."""
    signups = Signup.objects.filter(
        session=activity_session, cancelled_at__isnull=True, anonymisation_code__isnull=False
    )
    if codes is not None:
        signups = signups.filter(anonymisation_code__in=codes)
    code_of = dict(signups.values_list("person_id", "anonymisation_code"))
    results = Result.objects.filter(
        activity_session=activity_session,
        module=module,
        state__in=OPEN_STATES,
        person_id__in=list(code_of),
    ).select_related("course_instance__course", "person")
    return [(code_of[r.person_id], r) for r in results]
