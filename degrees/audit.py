"""The degree audit (S-DEG-4, B-1 for degrees): the one rule that answers "does this student meet
this degree's requirements with these courses?" and says exactly what is missing.

The student sees it while applying, the case officer on the case, and issuing asks it again: all
three call `audit`, nothing else decides. Requirements are data (degrees.models.DegreeRequirement);
the courses are the student's completed ones (degrees.inputs.completed_courses) that the
application includes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalog.models import EducationLevel
from degrees.inputs import CompletedCourse
from degrees.models import DegreeRequirement, RequirementKind
from ladokportal.i18n import pick
from ladokportal.templatetags.portal import credits as show_credits


@dataclass(frozen=True)
class Line:
    """One requirement: what it asks, what counted towards it, and what is missing ("" if met)."""

    kind: str
    required: str
    counted: Decimal | None
    missing: str

    @property
    def met(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Audit:
    lines: tuple[Line, ...]
    courses: tuple[CompletedCourse, ...]

    @property
    def met(self) -> bool:
        return all(line.met for line in self.lines)

    @property
    def missing(self) -> list[str]:
        return [line.missing for line in self.lines if line.missing]

    @property
    def total_credits(self) -> Decimal:
        return sum((c.credits for c in self.courses), Decimal(0))


def _at_level(level: str) -> str:
    if level == EducationLevel.FIRST:
        return pgettext("degree audit", "at basic level")
    if level == EducationLevel.SECOND:
        return pgettext("degree audit", "at advanced level")
    if level == EducationLevel.DOCTORAL:
        return pgettext("degree audit", "at research level")
    return ""


def _field(requirement: DegreeRequirement) -> str:
    field = requirement.main_field
    return pick(field.name_sv, field.name_en) if field else ""


def _matching(
    courses: Iterable[CompletedCourse], requirement: DegreeRequirement
) -> list[CompletedCourse]:
    return [
        c
        for c in courses
        if (not requirement.level or c.level == requirement.level)
        and (requirement.main_field_id is None or c.main_field_id == requirement.main_field_id)
    ]


def _sum(courses: Iterable[CompletedCourse]) -> Decimal:
    return sum((c.credits for c in courses), Decimal(0))


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _total(requirement: DegreeRequirement, courses: Sequence[CompletedCourse]) -> Line:
    level = _at_level(requirement.level)
    counted = _sum(_matching(courses, requirement))
    need = requirement.credits
    required = _join(_("%(credits)s in total") % {"credits": show_credits(need)}, level)
    missing = ""
    if counted < need:
        missing = (
            _("%(credits)s more %(level)s")
            % {"credits": show_credits(need - counted), "level": level}
            if level
            else _("%(credits)s more in total") % {"credits": show_credits(need - counted)}
        )
    return Line(requirement.kind, required, counted, missing)


def _main_field(requirement: DegreeRequirement, courses: Sequence[CompletedCourse]) -> Line:
    level = _at_level(requirement.level)
    field = _field(requirement)
    counted = _sum(_matching(courses, requirement))
    need = requirement.credits
    required = _join(
        _("%(credits)s in %(field)s") % {"credits": show_credits(need), "field": field}, level
    )
    missing = ""
    if counted < need:
        missing = _join(
            _("%(credits)s more in %(field)s")
            % {"credits": show_credits(need - counted), "field": field},
            level,
        )
    return Line(requirement.kind, required, counted, missing)


def _project(requirement: DegreeRequirement, courses: Sequence[CompletedCourse]) -> Line:
    level = _at_level(requirement.level)
    field = _field(requirement)
    need = requirement.credits or Decimal(0)
    where = _join(_("in %(field)s") % {"field": field} if field else "", level)
    required = _join(
        _("an independent project of at least %(credits)s") % {"credits": show_credits(need)},
        where,
    )
    projects = [c for c in _matching(courses, requirement) if c.independent_project]
    largest = max((c.credits for c in projects), default=None)
    missing = ""
    if largest is None:
        missing = _join(_("no independent project"), where)
    elif largest < need:
        missing = _(
            "the independent project must be at least %(need)s; the largest is %(largest)s"
        ) % {"need": show_credits(need), "largest": show_credits(largest)}
    return Line(requirement.kind, required, largest, missing)


def _course(requirement: DegreeRequirement, courses: Sequence[CompletedCourse]) -> Line:
    course = requirement.course
    name = f"{course.code} {pick(course.name_sv, course.name_en)}"
    required = _("%(course)s completed") % {"course": name}
    done = any(c.course_id == course.pk for c in courses)
    missing = "" if done else _("%(course)s is not completed") % {"course": name}
    return Line(requirement.kind, required, None, missing)


def _earlier(requirement: DegreeRequirement, earlier_kinds: set[int]) -> Line:
    kind = requirement.earlier_degree
    name = pick(kind.name_sv, kind.name_en)
    required = _("an earlier %(degree)s") % {"degree": name}
    done = kind.pk in earlier_kinds
    missing = "" if done else _("no earlier %(degree)s") % {"degree": name}
    return Line(requirement.kind, required, None, missing)


def audit(
    requirements: Sequence[DegreeRequirement],
    courses: Sequence[CompletedCourse],
    *,
    earlier_kinds: Iterable[int] = (),
) -> Audit:
    """Each requirement against the courses (and the degrees the person already holds, by kind
    id). The requirements come with main_field, course and earlier_degree loaded
    (degrees.queries.requirements)."""
    earlier = set(earlier_kinds)
    lines = []
    for requirement in requirements:
        if requirement.kind == RequirementKind.TOTAL_CREDITS:
            lines.append(_total(requirement, courses))
        elif requirement.kind == RequirementKind.MAIN_FIELD_CREDITS:
            lines.append(_main_field(requirement, courses))
        elif requirement.kind == RequirementKind.INDEPENDENT_PROJECT:
            lines.append(_project(requirement, courses))
        elif requirement.kind == RequirementKind.REQUIRED_COURSE:
            lines.append(_course(requirement, courses))
        elif requirement.kind == RequirementKind.EARLIER_DEGREE:
            lines.append(_earlier(requirement, earlier))
        else:
            raise ValueError(requirement.kind)
    return Audit(lines=tuple(lines), courses=tuple(courses))
