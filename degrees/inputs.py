"""What a degree rests on: the student's completed courses at the current university, read in one
place so that a new source of results changes only this module (S-DEG-4, S-CRED-3).

A course counts when its course grade (slutbetyg) is visible to the student (certified, not
removed: results.queries.student.visible) and passing; the latest such grade counts (the order of
results.queries.student.COUNTING_ORDER). Credited courses (credit transfer, tillgodoräknande) are
results of source "credit" and count the same way, marked as credited.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from institutions.models import Institution
from ladokportal.i18n import pick
from people.models import Person
from results.models import ResultSource
from results.queries.student import COUNTING_ORDER, visible


@dataclass(frozen=True)
class CompletedCourse:
    course_id: int
    code: str
    name_sv: str
    name_en: str
    credits: Decimal
    level: str
    main_field_id: int | None
    main_field_sv: str
    main_field_en: str
    independent_project: bool
    grade_code: str
    grade_sv: str
    grade_en: str
    date: datetime.date
    credited: bool

    @property
    def name(self) -> str:
        return pick(self.name_sv, self.name_en)

    @property
    def grade(self) -> str:
        return pick(self.grade_sv, self.grade_en)

    @property
    def main_field(self) -> str:
        return pick(self.main_field_sv, self.main_field_en)


def completed_courses(
    person: Person | int, institution: Institution | int
) -> list[CompletedCourse]:
    """Every course the person has completed at the university, by course code. One query."""
    results = (
        visible(person)
        .filter(institution=institution, module__isnull=True, grade__passing=True)
        .select_related("course_instance__course__classification__main_field", "grade")
        .order_by(*COUNTING_ORDER)
    )
    latest = {}
    for result in results:
        latest[result.course_instance.course_id] = result
    return sorted((_completed(r) for r in latest.values()), key=lambda c: c.code)


def _completed(result) -> CompletedCourse:
    course = result.course_instance.course
    classification = getattr(course, "classification", None)
    field = classification.main_field if classification else None
    return CompletedCourse(
        course_id=course.pk,
        code=course.code,
        name_sv=course.name_sv,
        name_en=course.name_en,
        credits=course.credits,
        level=course.level,
        main_field_id=field.pk if field else None,
        main_field_sv=field.name_sv if field else "",
        main_field_en=field.name_en if field else "",
        independent_project=bool(classification and classification.independent_project),
        grade_code=result.grade.code,
        grade_sv=result.grade.name_sv,
        grade_en=result.grade.name_en,
        date=result.examination_date,
        credited=result.source == ResultSource.CREDIT,
    )
