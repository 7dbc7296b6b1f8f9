"""Checking reported rows before anything is saved (T-REP-4, T-REP-5, T-EXT-1).

Every check runs for all rows at once with a fixed number of queries, so that a page of 500
participants or a file of 500 rows costs the same few queries as one. The messages are shown to
the person next to the row.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Grade, Module
from ladokportal import clock
from people.models import Person
from registration.models import Registration
from results.anonymity import Personal
from results.models import (
    VISIBLE_TO_STUDENT,
    AnnotationColumn,
    AnnotationKind,
    Result,
)


@dataclass
class Entry:
    """One reported row: a grade and date for one person, perhaps updating their open result."""

    person: Person
    grade: Grade | None
    examination_date: datetime.date | None
    annotations: dict[str, str] = field(default_factory=dict)
    # The open (draft or ready) result this row changes, with the version the page showed.
    result: Result | None = None
    version: int | None = None


def scale_of(course_instance: CourseInstance, module: Module | None) -> int:
    return module.grading_scale_id if module else course_instance.course.grading_scale_id


def annotation_kinds(course_instance: CourseInstance, module: Module | None) -> list[str]:
    """The annotation columns of this module (or the whole course), one query."""
    return list(
        AnnotationColumn.objects.filter(
            course_id=course_instance.course_id, module=module
        ).values_list("kind", flat=True)
    )


def registered_person_ids(course_id: int, person_ids: list[int]) -> set[int]:
    """Who of these is or was registered on any instance of the course (T-REP-4: a student
    registered on an earlier instance may be reported here)."""
    return set(
        Registration.objects.filter(
            participation__person_id__in=person_ids,
            course_instance__course_id=course_id,
        ).values_list("participation__person_id", flat=True)
    )


def course_graded_person_ids(course_id: int, person_ids: list[int]) -> set[int]:
    """Who of these has a certified course grade on the course (on any instance). One query."""
    return set(
        Result.objects.filter(
            person_id__in=person_ids,
            course_instance__course_id=course_id,
            module__isnull=True,
            state__in=VISIBLE_TO_STUDENT,
        ).values_list("person_id", flat=True)
    )


def counting_module_results(course_id: int, person_ids: list[int]) -> dict[int, dict[int, Result]]:
    """person → module → the result that counts: the latest certified, not removed (a fail and
    then a pass at the re-take: the pass counts). One query."""
    counting: dict[int, dict[int, Result]] = {}
    rows = (
        Result.objects.filter(
            person_id__in=person_ids,
            course_instance__course_id=course_id,
            module__isnull=False,
            state__in=VISIBLE_TO_STUDENT,
        )
        .select_related("grade")
        .order_by("examination_date", "certified_at", "id")
    )
    for result in rows:
        counting.setdefault(result.person_id, {})[result.module_id] = result
    return counting


def course_grade_basis(
    course_instance: CourseInstance, person_ids: list[int]
) -> tuple[list[int], dict[int, dict[int, Result]]]:
    """The course's module ids and each person's counting module results (two queries)."""
    module_ids = list(
        Module.objects.filter(course_id=course_instance.course_id).values_list("pk", flat=True)
    )
    return module_ids, counting_module_results(course_instance.course_id, person_ids)


def _annotation_errors(annotations: dict[str, str], kinds: list[str]) -> list[str]:
    errors = []
    for kind, value in annotations.items():
        if kind not in kinds:
            errors.append(_("This module has no annotation column “%(kind)s”.") % {"kind": kind})
        elif kind == AnnotationKind.POINTS and value not in ("", None):
            try:
                points = Decimal(str(value).replace(",", "."))
            except InvalidOperation:
                points = None
            if points is None or not points.is_finite() or points < 0 or points >= 10000:
                errors.append(
                    _("Examination points must be a number from 0 to 9999, not “%(value)s”.")
                    % {"value": value}
                )
        elif len(str(value)) > 500:
            errors.append(_("An annotation may be at most 500 characters long."))
    return errors


def check_entries(
    course_instance: CourseInstance, module: Module | None, entries: list[Entry]
) -> dict[int, list[str]]:
    """Every row's problems, by index; empty when all may be saved. Queries: at most five."""
    errors: dict[int, list[str]] = {}
    today = clock.today()
    scale_id = scale_of(course_instance, module)
    person_ids = [e.person.pk for e in entries]
    registered = registered_person_ids(course_instance.course_id, person_ids) if entries else set()
    kinds = annotation_kinds(course_instance, module) if entries else []
    basis = course_grade_basis(course_instance, person_ids) if module is None and entries else None
    graded = course_graded_person_ids(course_instance.course_id, person_ids) if entries else set()
    seen: set[int] = set()

    for index, entry in enumerate(entries):
        row: list[str] = []
        if entry.person.pk in seen:
            row.append(_("This student appears more than once."))
        seen.add(entry.person.pk)
        if entry.person.pk not in registered:
            row.append(
                Personal(_("The student is not and has not been registered on this course."))
            )
        if entry.grade is None:
            row.append(_("Choose a grade."))
        elif entry.grade.scale_id != scale_id:
            row.append(
                _("The grade “%(grade)s” is not on this module's grading scale.")
                % {"grade": entry.grade.code}
            )
        if entry.examination_date is None:
            row.append(_("Enter the examination date."))
        elif entry.examination_date > today:
            row.append(_("The examination date cannot be in the future."))
        elif entry.examination_date < course_instance.start_date:
            row.append(
                _("The examination date cannot be before the course instance started (%(date)s).")
                % {"date": date_format(course_instance.start_date, "SHORT_DATE_FORMAT")}
            )
        row += _annotation_errors(entry.annotations, kinds)
        if entry.person.pk in graded and entry.result is None:
            # T-REM-1: the certified course grade rests on the module results; a new result
            # (a module re-take or a second course grade) waits until it is removed.
            row.append(
                Personal(
                    _(
                        "A certified course grade rests on this student's results. "
                        "The course grade must be removed first."
                    )
                )
            )
        if basis is not None:
            row += _course_grade_errors(entry, *basis)
        if row:
            errors[index] = row
    return errors


def all_modules_passed(module_ids: list[int], mine: dict[int, Result]) -> bool:
    """Whether a course grade may rest on these counting module results: the course has modules
    and each has a passed, certified result."""
    return bool(module_ids) and all(m in mine and mine[m].grade.passing for m in module_ids)


def _course_grade_errors(
    entry: Entry, module_ids: list[int], counting: dict[int, dict[int, Result]]
) -> list[str]:
    """A course grade only when every module is passed, never a failing grade, and dated the
    day of the latest module result."""
    if entry.grade is not None and not entry.grade.passing:
        return [_("A course grade is never a failing grade.")]
    mine = counting.get(entry.person.pk, {})
    if not all_modules_passed(module_ids, mine):
        return [_("The course grade can be reported once every module is passed and certified.")]
    latest = max(r.examination_date for r in mine.values() if r.module_id in module_ids)
    if entry.examination_date is not None and entry.examination_date != latest:
        return [
            _("The course grade's examination date is that of the latest module: %(date)s.")
            % {"date": date_format(latest, "SHORT_DATE_FORMAT")}
        ]
    return []


def proposed_course_grade(
    module_ids: list[int], mine: dict[int, Result], course_scale_id: int, grades: list[Grade]
) -> tuple[Grade | None, datetime.date | None]:
    """What the reporting page pre-fills for a course grade: the date of the latest module and,
    for a course of a single module, the module's grade when the course uses the same scale."""
    if not all_modules_passed(module_ids, mine):
        return None, None
    latest = max(mine[m].examination_date for m in module_ids)
    if len(module_ids) == 1:
        grade = mine[module_ids[0]].grade
        if grade.scale_id == course_scale_id:
            return grade, latest
        same = [g for g in grades if g.code == grade.code and g.scale_id == course_scale_id]
        return (same[0] if same else None), latest
    return None, latest
