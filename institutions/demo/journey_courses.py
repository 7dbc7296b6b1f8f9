"""Lund's courses behind the study journey of issue #3, placed relative to today.

The catalogue gives every course an instance per term; these courses get instances placed so
that, whatever the date, `student` can see each state of a study journey at Lund:

- MATB21 spans the last and the current term: registered for the first study period, the
  continuation registration for the second is open now (S-REG-3);
- FYSA21 started six weeks ago (a dropout now is a later one), MATA24 twelve days ago (within
  the early-dropout weeks), FYSA31 starts in three weeks (S-WD-1..2);
- NUMA01 runs three times: in two weeks, in six weeks and next term (S-SWAP-1);
- five electives of the mathematics programme's fourth term run next term: four are the
  alternatives of a study choice, one is offered for application (S-CHOICE-1, S-APP-1).

They are kept apart from the catalogue's instances, so the randomly drawn students keep their
draw and only the named students' stories use them.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from catalog.grading import SCALE_U345, SCALE_UG, SCALE_UGVG
from catalog.models import CourseInstance, GradingScale
from institutions.demo.catalogue import (
    DAY,
    WEEK,
    Catalogue,
    InstancePlan,
    PeriodPlan,
    create_courses,
    create_instance,
    plan_term_instance,
    single_period_plan,
)
from institutions.demo.courses import ASSIGNMENTS, EXAM, LABS, PROJECT, CourseData, module
from institutions.demo.terms import Calendar

# Instance codes after the catalogue's (which number from code_base + 1 upwards).
FIRST_CODE = 101

JOURNEY_COURSES = (
    CourseData(
        "MATB21",
        "Analys i flera variabler",
        "Analysis in Several Variables",
        "first",
        SCALE_UGVG,
        "MATM",
        (
            module("0101", "Differentialkalkyl", "Differential calculus", "7.5", SCALE_UGVG),
            module("0102", "Integralkalkyl", "Integral calculus", "7.5", SCALE_UGVG),
        ),
    ),
    CourseData(
        "FYSA21",
        "Vågor och optik",
        "Waves and Optics",
        "first",
        SCALE_U345,
        "FYS",
        (module("0101", *EXAM, "4.5", SCALE_U345), module("0102", *LABS, "3.0", SCALE_UG)),
    ),
    CourseData(
        "MATA24",
        "Diskret matematik",
        "Discrete Mathematics",
        "first",
        SCALE_UGVG,
        "MATM",
        (module("0101", *EXAM, "6.0", SCALE_UGVG), module("0102", *ASSIGNMENTS, "1.5", SCALE_UG)),
    ),
    CourseData(
        "FYSA31",
        "Astronomi",
        "Astronomy",
        "first",
        SCALE_UGVG,
        "FYS",
        (module("0101", *EXAM, "7.5", SCALE_UGVG),),
    ),
    CourseData(
        "NUMA01",
        "Beräkningsprogrammering med Python",
        "Computational Programming with Python",
        "first",
        SCALE_UG,
        "MATM",
        (
            module("0101", "Programmeringsuppgifter", "Programming assignments", "4.5", SCALE_UG),
            module("0102", *PROJECT, "3.0", SCALE_UG),
        ),
    ),
)

# The study choice's alternatives: one of them is 15 credits, so that picking it with another
# breaks the period's credit limit.
ELECTIVES = (
    CourseData(
        "MATC11",
        "Talteori",
        "Number Theory",
        "first",
        SCALE_UGVG,
        "MATM",
        (module("0101", *EXAM, "7.5", SCALE_UGVG),),
    ),
    CourseData(
        "MATC12",
        "Komplex analys",
        "Complex Analysis",
        "first",
        SCALE_UGVG,
        "MATM",
        (module("0101", *EXAM, "6.0", SCALE_UGVG), module("0102", *ASSIGNMENTS, "1.5", SCALE_UG)),
    ),
    CourseData(
        "FYSC11",
        "Statistisk fysik",
        "Statistical Physics",
        "first",
        SCALE_U345,
        "FYS",
        (module("0101", *EXAM, "6.0", SCALE_U345), module("0102", *ASSIGNMENTS, "1.5", SCALE_UG)),
    ),
    CourseData(
        "MATC15",
        "Projekt i matematik",
        "Project in Mathematics",
        "first",
        SCALE_UGVG,
        "MATM",
        (module("0101", *PROJECT, "15.0", SCALE_UGVG),),
    ),
)

OFFERED = CourseData(
    "MATC21",
    "Fourieranalys",
    "Fourier Analysis",
    "first",
    SCALE_UGVG,
    "MATM",
    (module("0101", *EXAM, "7.5", SCALE_UGVG),),
)


@dataclass(frozen=True)
class JourneyCourses:
    """The instances created, by the part they play; each carries its `periods_list`."""

    continuing: CourseInstance  # MATB21: continuation registration open now
    ongoing: CourseInstance  # FYSA21: started six weeks ago
    just_started: CourseInstance  # MATA24: started twelve days ago
    starts_soon: CourseInstance  # FYSA31: starts in three weeks
    change: tuple[CourseInstance, ...]  # NUMA01: in two weeks, in six weeks, next term
    electives: tuple[CourseInstance, ...]  # next term, alternatives of the study choice
    offered: CourseInstance  # MATC21, next term, offered for application


def plan_continuing(credits: Decimal, calendar: Calendar, today: datetime.date) -> InstancePlan:
    """From the middle of the last term to the end of the current one. The first study period's
    registration is long closed; the continuation registration opened three days ago. Today is
    always after the first period's window closed (the last term has ended)."""
    start = calendar.last.start + 10 * WEEK
    first = (credits / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)
    periods = (
        PeriodPlan(calendar.last, first, start - 2 * WEEK, start + WEEK),
        PeriodPlan(calendar.current, credits - first, today - 3 * DAY, today + 11 * DAY),
    )
    return InstancePlan(start, calendar.current.end, periods)


def plan_journey(
    calendar: Calendar, today: datetime.date
) -> list[tuple[str, CourseData, InstancePlan]]:
    """(part, course, plan) for every instance, in the order of JourneyCourses' fields."""
    matb21, fysa21, mata24, fysa31, numa01 = JOURNEY_COURSES

    def starting(course: CourseData, start: datetime.date, opens: datetime.date) -> InstancePlan:
        return single_period_plan(start, course.credits, opens, start + WEEK, calendar)

    numa01_next = plan_term_instance(numa01, 1, calendar.next, calendar)
    return [
        ("continuing", matb21, plan_continuing(matb21.credits, calendar, today)),
        ("ongoing", fysa21, starting(fysa21, today - 6 * WEEK, today - 8 * WEEK)),
        ("just_started", mata24, starting(mata24, today - 12 * DAY, today - 26 * DAY)),
        ("starts_soon", fysa31, starting(fysa31, today + 3 * WEEK, today + WEEK)),
        ("change", numa01, starting(numa01, today + 2 * WEEK, today - WEEK)),
        ("change", numa01, starting(numa01, today + 6 * WEEK, today + 4 * WEEK)),
        ("change", numa01, numa01_next),
        *(
            ("electives", course, plan_term_instance(course, position, calendar.next, calendar))
            for position, course in enumerate(ELECTIVES)
        ),
        ("offered", OFFERED, plan_term_instance(OFFERED, 0, calendar.next, calendar)),
    ]


def create_journey_courses(
    lu: Catalogue, calendar: Calendar, today: datetime.date
) -> JourneyCourses:
    scales = {scale.code: scale for scale in GradingScale.objects.all()}
    org_units = {course.org_unit.code: course.org_unit for course in lu.courses.values()}
    create_courses(lu, (*JOURNEY_COURSES, *ELECTIVES, OFFERED), org_units, scales)
    plans = plan_journey(calendar, today)
    # Numbered in the order they start, as a registry hands out codes.
    in_order = sorted(range(len(plans)), key=lambda i: (plans[i][2].start, plans[i][1].code))
    codes = {i: str(lu.code_base + number) for number, i in enumerate(in_order, FIRST_CODE)}
    parts: dict[str, list[CourseInstance]] = {}
    for i, (part, course, plan) in enumerate(plans):
        instance = create_instance(lu, lu.courses[course.code], codes[i], plan)
        parts.setdefault(part, []).append(instance)
    return JourneyCourses(
        continuing=parts["continuing"][0],
        ongoing=parts["ongoing"][0],
        just_started=parts["just_started"][0],
        starts_soon=parts["starts_soon"][0],
        change=tuple(parts["change"]),
        electives=tuple(parts["electives"]),
        offered=parts["offered"][0],
    )
