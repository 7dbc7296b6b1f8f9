"""A student's results as the student sees them (S-HOME-1, S-EDU-1..3) and as staff see them on
the student overview (T-ADM-2), each read in a fixed number of SQL queries.

What a student may see is decided here, once: every student read starts from `visible()`, the
results in VISIBLE_TO_STUDENT (certified, or certified and only prepared for removal). Drafts,
results marked ready and removed results never leave this module towards a student page (B-6,
S-EDU-3: "only certified results are ever shown to students").

Which result counts on a module is the rule of results.validation.counting_module_results: the
latest certified one that is not removed, ordered by examination date, then certification time
(a fail and then a pass at the re-take: the pass counts). The course grade (slutbetyg) is the
latest certified one on the course. Both are read across the course's instances, as results
belong to the course: a module passed before a change of instance still counts.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalog.models import Course, Module
from institutions.models import Institution
from people.models import Person, User
from registration.models import CourseParticipation
from results import anonymity
from results.models import (
    VISIBLE_TO_STUDENT,
    AnnotationColumn,
    AnnotationKind,
    Result,
    ResultSource,
)
from results.rules import Rights

# The order in which results supersede each other (results.validation.counting_module_results).
COUNTING_ORDER = ("examination_date", "certified_at", "id")
CREDITS = DecimalField(max_digits=7, decimal_places=1)


def visible(person: Person | int) -> QuerySet[Result]:
    """The person's results a student page may show: certified and not removed."""
    return Result.objects.filter(person=person, state__in=VISIBLE_TO_STUDENT)


# --- Course page (S-EDU-3) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Annotation:
    label: str
    value: str


@dataclass(frozen=True)
class ShownResult:
    """A certified result with the annotations the student may see (a thesis title is; an
    internal note is not: AnnotationColumn.shown_to_student)."""

    result: Result
    annotations: tuple[Annotation, ...]

    @property
    def credited(self) -> bool:
        """Credit transfer (tillgodoräknande, S-CRED-3): marked "credited" to the student."""
        return self.result.source == ResultSource.CREDIT

    @property
    def examiner(self) -> str:
        user = self.result.certified_by
        return user.display_name if user is not None else ""


@dataclass(frozen=True)
class ModuleResults:
    module: Module
    counting: ShownResult | None
    # Earlier certified results that the counting one superseded (a failed first attempt).
    earlier: tuple[ShownResult, ...] = ()


@dataclass(frozen=True)
class CourseResults:
    modules: tuple[ModuleResults, ...]
    final: ShownResult | None

    @property
    def any_credited(self) -> bool:
        return any(m.counting and m.counting.credited for m in self.modules)


def _shown(result: Result, columns: set[tuple[int | None, str]]) -> ShownResult:
    labels = dict(AnnotationKind.choices)
    return ShownResult(
        result=result,
        annotations=tuple(
            Annotation(str(labels[kind]), str(result.annotations[kind]))
            for kind in AnnotationKind.values
            if (result.module_id, kind) in columns
            and result.annotations.get(kind) not in ("", None)
        ),
    )


def course_results(person: Person, course: Course, modules: list[Module]) -> CourseResults:
    """Each module of the course with its counting certified result and the ones it superseded,
    and the final grade when the course grade is certified. Two queries: the results (with
    grade and examiner) and the annotation columns shown to students."""
    rows = list(
        visible(person)
        .filter(course_instance__course=course)
        # A credited result links to its credit-transfer decision (S-EDU-3).
        .select_related("grade", "certified_by__person", "credit_item__case")
        .order_by(*COUNTING_ORDER)
    )
    columns = set(
        AnnotationColumn.objects.filter(course=course, shown_to_student=True).values_list(
            "module_id", "kind"
        )
    )
    by_module: dict[int | None, list[Result]] = {}
    for result in rows:
        by_module.setdefault(result.module_id, []).append(result)

    def module_row(module: Module) -> ModuleResults:
        mine = by_module.get(module.pk, [])
        if not mine:
            return ModuleResults(module, None)
        shown = [_shown(r, columns) for r in mine]
        return ModuleResults(module, shown[-1], tuple(reversed(shown[:-1])))

    finals = by_module.get(None, [])
    return CourseResults(
        modules=tuple(module_row(m) for m in modules),
        final=_shown(finals[-1], columns) if finals else None,
    )


# --- Start page: new results (S-HOME-1) ---------------------------------------------------------


def _course_page_of_result() -> Coalesce:
    """The public id of the student's participation on the result's course, for the link to the
    course page: the participation on the result's own instance first, else the latest one.
    Two subqueries, not one ordered on the outer instance: SQLite cannot see an outer column
    in a subquery's ORDER BY."""
    mine = CourseParticipation.objects.filter(person_id=OuterRef("person_id"))
    return Coalesce(
        Subquery(
            mine.filter(course_instance_id=OuterRef("course_instance_id"))
            .order_by("-pk")
            .values("public_id")[:1]
        ),
        Subquery(
            mine.filter(course_instance__course_id=OuterRef("course_instance__course_id"))
            .order_by("-course_instance__start_date", "-pk")
            .values("public_id")[:1]
        ),
    )


def new_results(person: Person) -> list[Result]:
    """Results certified since the student last saw the start page (seen_by_student_at not
    set), oldest first, each with its course, module, grade and the participation whose course
    page it links to (`participation_id`). One query; the view marks them seen after showing
    them (results.services.students.mark_seen), so each is shown once."""
    return list(
        visible(person)
        .filter(seen_by_student_at__isnull=True)
        .select_related("course_instance__course", "module", "grade")
        .annotate(participation_id=_course_page_of_result())
        .order_by("certified_at", "id")
    )


# --- My education (S-EDU-1, S-EDU-2) ------------------------------------------------------------


def final_grade_exists(course_instance_ref: str = "course_instance") -> Exists:
    """For annotating a person's course participations: a certified course grade (slutbetyg) on
    the participation's instance, i.e. the course is completed (S-EDU-2 "Completed")."""
    return Exists(
        Result.objects.filter(
            person_id=OuterRef("person_id"),
            course_instance_id=OuterRef(course_instance_ref),
            module__isnull=True,
            state__in=VISIBLE_TO_STUDENT,
        )
    )


@dataclass(frozen=True)
class CreditSummary:
    completed: Decimal
    credited: Decimal


def credit_summary(person: Person) -> CreditSummary:
    """S-EDU-2: total completed credits and how much of that is credited, summed by the
    database in one query from certified results alone.

    Per course: with a certified course grade the course's credits count (once, whatever the
    number of instances or modules); without one, the credits of each module whose counting
    result (the latest certified) is a passing grade. So a course finished with a final grade
    counts in full, and a course in progress counts the modules passed so far; a failed module,
    a draft or a result marked ready counts nothing. Credited is the same sum over credit
    transfers (source "credit"): the whole course when its course grade was credited, else its
    credited passed modules.
    """
    mine = visible(person)
    course_grade = mine.filter(module__isnull=True, course_instance__course_id=OuterRef("pk"))
    latest = mine.filter(module_id=OuterRef("pk")).order_by(
        *(f"-{name}" for name in COUNTING_ORDER)
    )
    passed = (
        Module.objects.filter(course_id=OuterRef("pk"))
        .annotate(
            passing=Subquery(latest.values("grade__passing")[:1]),
            counting_source=Subquery(latest.values("source")[:1]),
        )
        .filter(passing=True)
    )

    def module_sum(modules: QuerySet[Module]) -> Coalesce:
        total = modules.order_by().values("course_id").annotate(total=Sum("credits"))
        return Coalesce(
            Subquery(total.values("total")[:1]), Value(Decimal(0)), output_field=CREDITS
        )

    totals = (
        Course.objects.filter(pk__in=mine.values("course_instance__course_id"))
        .annotate(
            done_credits=Case(
                When(Exists(course_grade), then=F("credits")),
                default=module_sum(passed),
                output_field=CREDITS,
            ),
            credited_credits=Case(
                When(Exists(course_grade.filter(source=ResultSource.CREDIT)), then=F("credits")),
                default=module_sum(passed.filter(counting_source=ResultSource.CREDIT)),
                output_field=CREDITS,
            ),
        )
        .aggregate(completed=Sum("done_credits"), credited=Sum("credited_credits"))
    )
    return CreditSummary(totals["completed"] or Decimal(0), totals["credited"] or Decimal(0))


def credited_results(person: Person) -> list[Result]:
    """S-EDU-2 "Credited": every certified credit transfer, one row per credited target (a
    module or a whole course). One query."""
    return list(
        visible(person)
        .filter(source=ResultSource.CREDIT)
        .select_related("course_instance__course", "module", "grade", "credit_item__case")
        .order_by("course_instance__course__code", "module__position", *COUNTING_ORDER)
    )


# --- Staff: the student overview (T-ADM-2) ------------------------------------------------------


@dataclass(frozen=True)
class StaffResultRow:
    """One of the student's results as a member of staff sees it on the overview."""

    result: Result
    # Whether this member of staff may see the grade: always once certified; before that only
    # with a right to report or certify on the course, and never for an anonymous exam whose
    # results are not yet certified (B-6: the grade would link the code to the person).
    grade_shown: bool
    # Whether the result's timeline (B-3) is open to this member of staff: a reporting right on
    # the course, as staffweb.results.timeline.views requires.
    timeline: bool

    @property
    def what(self) -> str:
        module = self.result.module
        return f"{module.code} {module.name}" if module else _("Course grade")

    @property
    def certified(self) -> bool:
        return self.result.state in VISIBLE_TO_STUDENT


@dataclass
class StaffResults:
    by_instance: dict[int, list[StaffResultRow]] = field(default_factory=dict)

    def of(self, course_instance_id: int) -> list[StaffResultRow]:
        return self.by_instance.get(course_instance_id, [])

    def without(self, course_instance_ids: set[int]) -> list[StaffResultRow]:
        """Results on instances the student holds no participation on (a student registered
        on an earlier instance may be reported on a later one, T-REP-4)."""
        return [
            row
            for instance_id, rows in self.by_instance.items()
            if instance_id not in course_instance_ids
            for row in rows
        ]


def staff_results(user: User, institution: Institution, person: Person) -> StaffResults:
    """The student's results at the university for the overview. Staff with a right to report
    or certify on a course see its results in every state; others see only certified ones.
    Two queries (the rights, the results)."""
    rights = Rights.load(user, institution.pk)
    rows = (
        Result.objects.filter(person=person, institution=institution)
        .select_related(
            "grade",
            "module",
            "course_instance__course",
            "activity_session",
            "certified_by__person",
        )
        .order_by("course_instance_id", "module__position", "module_id", *COUNTING_ORDER)
    )
    results = StaffResults()
    for result in rows:
        course = result.course_instance.course
        certified = result.state in VISIBLE_TO_STUDENT
        # Certifying roles report too (results.rules.REPORTING_ROLES).
        entitled = rights.may_report(course)
        if not certified and not entitled:
            continue
        # B-6: one rule (results.anonymity) decides whether the grade may sit by the name.
        shown = anonymity.sight(rights, result, anonymity.Place.BY_NAME).grade
        results.by_instance.setdefault(result.course_instance_id, []).append(
            StaffResultRow(result, grade_shown=shown, timeline=entitled)
        )
    return results
