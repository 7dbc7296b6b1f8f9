"""Who may report and who may certify results (T-ROLE-1), from StaffRole rows.

A right covers the whole university, an org unit (every course it gives) or one course.
- Reporting (report, save drafts, mark ready, un-mark, prepare a removal): reporters, examiners
  and study administrators (who check and mark ready what exam systems sent, T-EXT-1).
- Certifying (certify, correct before certifying, remove, certify a removal): examiners
  (certifier) only — "the course's examiner" of T-REM-1.

`Rights.load` reads a person's roles at one university in one query so that lists and bulk
actions judge any number of courses without further queries; `reportable_instances` and
`certifiable_instances` say the same in SQL for lists built in the database.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog.models import Course, CourseInstance
from institutions.tree import SUB_UNITS, covering_unit
from people.models import StaffRoleKind, User
from results import workflow
from results.models import Result, ResultAction

REPORTING_ROLES = (StaffRoleKind.REPORTER, StaffRoleKind.CERTIFIER, StaffRoleKind.STUDY_ADMIN)
CERTIFYING_ROLES = (StaffRoleKind.CERTIFIER,)


@dataclass(frozen=True)
class _Reach:
    everywhere: bool = False
    org_units: frozenset[int] = field(default_factory=frozenset)
    courses: frozenset[int] = field(default_factory=frozenset)

    def covers(self, course: Course) -> bool:
        return (
            self.everywhere
            or course.pk in self.courses
            or (course.org_unit_id is not None and course.org_unit_id in self.org_units)
        )

    @property
    def any(self) -> bool:
        return self.everywhere or bool(self.org_units) or bool(self.courses)


def _reach(rows: list[tuple[str, int | None, int | None]], roles: tuple[str, ...]) -> _Reach:
    mine = [(org_unit, course) for role, org_unit, course in rows if role in roles]
    return _Reach(
        everywhere=any(o is None and c is None for o, c in mine),
        org_units=frozenset(o for o, _c in mine if o is not None),
        courses=frozenset(c for _o, c in mine if c is not None),
    )


@dataclass(frozen=True)
class Rights:
    """One person's result rights at one university."""

    user_id: int | None
    institution_id: int
    reporting: _Reach
    certifying: _Reach

    @classmethod
    def load(cls, user: User, institution_id: int) -> "Rights":
        if not user.is_authenticated:
            return cls(None, institution_id, _Reach(), _Reach())
        # An org unit's right covers its sub-units (institutions.tree): each row comes once
        # per sub-unit, in the same query.
        rows = [
            (role, unit, course)
            for role, course, *units in user.staff_roles.filter(
                institution_id=institution_id, role__in=REPORTING_ROLES
            ).values_list("role", "course_id", "org_unit_id", *(f"{p}__id" for p in SUB_UNITS))
            for unit in {*units} - {None} or {None}
        ]
        return cls(
            user.pk, institution_id, _reach(rows, REPORTING_ROLES), _reach(rows, CERTIFYING_ROLES)
        )

    @classmethod
    def remembered(cls, user: User, institution_id: int) -> "Rights":
        """`load`, read once per user object and university. The user of a request lives as
        long as the request, so a page's guard (`reports_at`, `certifies_at`) and the page share
        one query; services call `load`, which reads afresh every time."""
        memo = getattr(user, "_result_rights", None)
        if memo is None:
            memo = {}
            user._result_rights = memo
        if institution_id not in memo:
            memo[institution_id] = cls.load(user, institution_id)
        return memo[institution_id]

    def may_report(self, course: Course) -> bool:
        return course.institution_id == self.institution_id and self.reporting.covers(course)

    def may_certify(self, course: Course) -> bool:
        return course.institution_id == self.institution_id and self.certifying.covers(course)

    @property
    def reports_anything(self) -> bool:
        return self.reporting.any

    @property
    def certifies_anything(self) -> bool:
        return self.certifying.any


def _covering(user: User, institution_id: int, roles: tuple[str, ...]) -> QuerySet:
    return user.staff_roles.filter(institution_id=institution_id, role__in=roles).filter(
        Q(org_unit__isnull=True, course__isnull=True)
        | covering_unit(OuterRef("course__org_unit_id"))
        | Q(course_id=OuterRef("course_id"))
    )


def reportable_instances(user: User, institution_id: int) -> QuerySet[CourseInstance]:
    """The course instances `Rights.may_report` allows, as one queryset."""
    if not user.is_authenticated:
        return CourseInstance.objects.none()
    return CourseInstance.objects.filter(institution_id=institution_id).filter(
        Exists(_covering(user, institution_id, REPORTING_ROLES))
    )


def certifiable_instances(user: User, institution_id: int) -> QuerySet[CourseInstance]:
    """The course instances `Rights.may_certify` allows, as one queryset."""
    if not user.is_authenticated:
        return CourseInstance.objects.none()
    return CourseInstance.objects.filter(institution_id=institution_id).filter(
        Exists(_covering(user, institution_id, CERTIFYING_ROLES))
    )


@rules.predicate
def reports_at(user: User, institution_id: int) -> bool:
    """Some reporting right at the university: the guard of the Report pages."""
    return Rights.remembered(user, institution_id).reports_anything


@rules.predicate
def certifies_at(user: User, institution_id: int) -> bool:
    """Some certifying right at the university: the guard of the Certify pages."""
    return Rights.remembered(user, institution_id).certifies_anything


@rules.predicate
def reports_on(user: User, instance: CourseInstance) -> bool:
    return Rights.load(user, instance.institution_id).may_report(instance.course)


@rules.predicate
def certifies_on(user: User, instance: CourseInstance) -> bool:
    return Rights.load(user, instance.institution_id).may_certify(instance.course)


# The right each act on a result asks for, as the services check it (results.services.common:
# require_reporting or require_certifying).
_REPORTING_ACTS = frozenset(
    {
        ResultAction.EDITED,
        ResultAction.MARKED_READY,
        ResultAction.UNMARKED,
        ResultAction.DISCARDED,
        ResultAction.REMOVAL_PREPARED,
        ResultAction.REMOVAL_WITHDRAWN,
    }
)
_CERTIFYING_ACTS = frozenset({ResultAction.CERTIFIED, ResultAction.REMOVED})


def acts_on(rights: Rights, result: Result) -> frozenset[str]:
    """The acts (ResultAction) the person whose `rights` these are may do on `result` now: those
    results.workflow's table allows from its state, for which they have the right the act's
    service asks. What a page offers; the services refuse the rest."""
    course = result.course_instance.course
    mine = (_REPORTING_ACTS if rights.may_report(course) else frozenset()) | (
        _CERTIFYING_ACTS if rights.may_certify(course) else frozenset()
    )
    return frozenset(act for act in mine if workflow.allows(result.state, act))


rules.add_perm("results.report_at", reports_at)
rules.add_perm("results.certify_at", certifies_at)
rules.add_perm("results.report", reports_on)
rules.add_perm("results.certify", certifies_on)
