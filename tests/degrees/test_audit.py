"""The degree audit (S-DEG-4, B-1 for degrees): every requirement kind with a student who meets it
and one who misses it by the smallest amount, and the message naming exactly what is missing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from catalog.models import Course
from degrees.audit import audit
from degrees.inputs import CompletedCourse, completed_courses
from degrees.models import DegreeKind, DegreeRequirement, MainField, RequirementKind
from degrees.queries import audit_of
from tests.factories import PersonFactory
from tests.factories.degrees import (
    completed_course,
    degree_kind,
    main_field,
    requirement,
)

MATHS = MainField(pk=1, code="MA", name_sv="Matematik", name_en="Mathematics")
PHYSICS = MainField(pk=2, code="FY", name_sv="Fysik", name_en="Physics")


def course(
    credits: str,
    *,
    level: str = "first",
    field: MainField | None = None,
    project: bool = False,
    pk: int = 0,
    code: str = "",
) -> CompletedCourse:
    return CompletedCourse(
        course_id=pk,
        code=code or f"K{pk}",
        name_sv=f"Kurs {pk}",
        name_en=f"Course {pk}",
        credits=Decimal(credits),
        level=level,
        main_field_id=field.pk if field else None,
        main_field_sv=field.name_sv if field else "",
        main_field_en=field.name_en if field else "",
        independent_project=project,
        grade_code="G",
        grade_sv="Godkänd",
        grade_en="Pass",
        date=datetime.date(2026, 6, 1),
        credited=False,
    )


def numbered(*courses: CompletedCourse) -> list[CompletedCourse]:
    from dataclasses import replace

    return [replace(c, course_id=n, code=c.code or f"K{n}") for n, c in enumerate(courses, 1)]


def check(requirement: DegreeRequirement, courses, **kw):
    with translation.override("en"):
        return audit([requirement], numbered(*courses), **kw)


def req(kind: str, **fields) -> DegreeRequirement:
    if "credits" in fields:
        fields["credits"] = Decimal(fields["credits"])
    return DegreeRequirement(kind=kind, **fields)


# --- Credits in total ---------------------------------------------------------------------------


def test_total_credits_met_exactly():
    result = check(
        req(RequirementKind.TOTAL_CREDITS, credits="30"), [course("22.5"), course("7.5")]
    )
    assert result.met
    assert result.lines[0].counted == Decimal("30.0")


def test_total_credits_missed_by_half_a_credit():
    result = check(req(RequirementKind.TOTAL_CREDITS, credits="30"), [course("22.5"), course("7")])
    assert not result.met
    assert result.missing == ["0.5 credits more in total"]


def test_total_credits_at_a_level_counts_only_that_level():
    requirement_ = req(RequirementKind.TOTAL_CREDITS, credits="15", level="second")
    met = check(requirement_, [course("15", level="second"), course("30")])
    missed = check(requirement_, [course("14.5", level="second"), course("30")])
    assert met.met
    assert missed.missing == ["0.5 credits more at advanced level"]


# --- Credits in the main field by level ---------------------------------------------------------


def test_main_field_credits_met():
    requirement_ = req(
        RequirementKind.MAIN_FIELD_CREDITS, credits="30", main_field=MATHS, level="second"
    )
    result = check(
        requirement_,
        [course("15", level="second", field=MATHS), course("15", level="second", field=MATHS)],
    )
    assert result.met


def test_main_field_credits_missed_names_field_and_level():
    requirement_ = req(
        RequirementKind.MAIN_FIELD_CREDITS, credits="30", main_field=MATHS, level="second"
    )
    # 7.5 at advanced level in Mathematics; the rest is in the wrong field or at the wrong level.
    result = check(
        requirement_,
        [
            course("7.5", level="second", field=MATHS),
            course("30", level="first", field=MATHS),
            course("30", level="second", field=PHYSICS),
        ],
    )
    assert result.missing == ["22.5 credits more in Mathematics at advanced level"]


def test_main_field_credits_missed_by_the_smallest_amount():
    requirement_ = req(RequirementKind.MAIN_FIELD_CREDITS, credits="15", main_field=MATHS)
    result = check(requirement_, [course("14.5", field=MATHS)])
    assert result.missing == ["0.5 credits more in Mathematics"]


def test_main_field_message_in_swedish():
    requirement_ = req(
        RequirementKind.MAIN_FIELD_CREDITS, credits="30", main_field=MATHS, level="second"
    )
    with translation.override("sv"):
        result = audit([requirement_], numbered(course("7.5", level="second", field=MATHS)))
    assert result.missing == ["22,5 hp till i Matematik på avancerad nivå"]


# --- Independent project ------------------------------------------------------------------------


def test_independent_project_met():
    requirement_ = req(RequirementKind.INDEPENDENT_PROJECT, credits="15", main_field=MATHS)
    result = check(requirement_, [course("15", field=MATHS, project=True)])
    assert result.met


def test_no_independent_project():
    requirement_ = req(RequirementKind.INDEPENDENT_PROJECT, credits="15")
    result = check(requirement_, [course("15"), course("15")])
    assert result.missing == ["no independent project"]


def test_independent_project_too_small_by_half_a_credit():
    requirement_ = req(RequirementKind.INDEPENDENT_PROJECT, credits="15")
    result = check(requirement_, [course("14.5", project=True)])
    assert result.missing == [
        "the independent project must be at least 15 credits; the largest is 14.5 credits"
    ]


def test_independent_project_in_another_field_does_not_count():
    requirement_ = req(
        RequirementKind.INDEPENDENT_PROJECT, credits="15", main_field=MATHS, level="second"
    )
    result = check(requirement_, [course("15", level="second", field=PHYSICS, project=True)])
    assert result.missing == ["no independent project in Mathematics at advanced level"]


# --- Required course ----------------------------------------------------------------------------


def test_required_course_met_and_missed():
    required = Course(pk=7, code="MATA21", name_sv="Analys", name_en="Analysis")
    requirement_ = req(RequirementKind.REQUIRED_COURSE, course=required)
    done = course("7.5", pk=7, code="MATA21")
    with translation.override("en"):
        met = audit([requirement_], [done])
        missed = audit([requirement_], [course("7.5", pk=8, code="MATA22")])
    assert met.met
    assert missed.missing == ["MATA21 Analysis is not completed"]


# --- Required earlier degree --------------------------------------------------------------------


def test_earlier_degree_met_and_missed():
    bachelor = DegreeKind(pk=3, name_sv="Kandidatexamen", name_en="Bachelor's degree")
    requirement_ = req(RequirementKind.EARLIER_DEGREE, earlier_degree=bachelor)
    assert check(requirement_, [], earlier_kinds={3}).met
    missed = check(requirement_, [], earlier_kinds={4})
    assert missed.missing == ["no earlier Bachelor's degree"]


def test_several_requirements_each_say_what_is_missing():
    requirements = [
        req(RequirementKind.TOTAL_CREDITS, credits="30"),
        req(RequirementKind.INDEPENDENT_PROJECT, credits="15"),
    ]
    with translation.override("en"):
        result = audit(requirements, numbered(course("22.5")))
    assert result.missing == ["7.5 credits more in total", "no independent project"]
    assert [line.met for line in result.lines] == [False, False]


# --- What the audit reads (degrees.inputs) ------------------------------------------------------


@pytest.mark.django_db
def test_audit_reads_certified_and_credited_courses_of_this_university_only(
    institution, other_institution
):
    person = PersonFactory()
    field = main_field(institution)
    completed_course(person, institution, credits="15", field=field, code="MATA21")
    completed_course(person, institution, credits="7.5", field=field, credited=True, code="MATX")
    completed_course(person, institution, credits="7.5", field=field, grade="U", code="MATU")
    completed_course(person, other_institution, credits="30", code="UUMAT")
    kind = degree_kind(
        institution,
        requirements=[
            requirement(RequirementKind.MAIN_FIELD_CREDITS, credits="30", main_field=field)
        ],
    )
    courses = completed_courses(person, institution)
    assert [(c.code, c.credited) for c in courses] == [("MATA21", False), ("MATX", True)]
    with translation.override("en"):
        assert audit_of(person, kind).missing == ["7.5 credits more in Mathematics"]
