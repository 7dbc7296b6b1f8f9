"""Study periods, courses, course instances and programmes of one demo university.

Instances exist in each of the four demo terms. In the current term the first four courses get
instances placed relative to today, so that the demo always has, whatever the date (S-REG-1..3):
one under way whose registration has closed, one open for registration now (opened a week ago,
closes in a week), one whose registration opens in ten days, and one spanning the current and the
next term with a registration period in each (continuation registration).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from catalog.models import (
    Course,
    CourseInstance,
    CourseInstancePeriod,
    GradingScale,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeInstance,
    StudyPeriod,
)
from institutions.demo.courses import COURSES, PROGRAMMES, CourseData, ProgrammeData
from institutions.demo.terms import Calendar, Term, terms_from
from institutions.models import Institution, OrgUnit

TERM_ROLES = ("before_last", "last", "current", "next")
# Which of a university's courses (by position) gets which special instance this term.
CURRENT_TERM_ROLES = ("ongoing", "open_now", "opens_later", "spanning")
FULL_TIME_CREDITS_PER_WEEK = Decimal("1.5")
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


@dataclass(frozen=True)
class PeriodPlan:
    term: Term
    credits: Decimal
    opens: datetime.date
    closes: datetime.date


@dataclass(frozen=True)
class InstancePlan:
    start: datetime.date
    end: datetime.date
    periods: tuple[PeriodPlan, ...]


@dataclass
class Catalogue:
    """Handles to what was created, for the steps that enrol students."""

    institution: Institution
    town: str
    # Instance codes are five digits with a leading digit of the university's own (1…, 2…).
    code_base: int
    study_periods: dict[str, StudyPeriod] = field(default_factory=dict)  # by term code
    courses: dict[str, Course] = field(default_factory=dict)  # by course code
    # by (course code, term role); each carries its CourseInstancePeriods as `periods_list`.
    instances: dict[tuple[str, str], CourseInstance] = field(default_factory=dict)
    programmes: dict[str, ProgrammeInstance] = field(default_factory=dict)  # by programme code
    structures: dict[str, list[CourseInstance]] = field(default_factory=dict)  # by programme code

    def instance(self, course_code: str, role: str) -> CourseInstance:
        return self.instances[(course_code, role)]

    @property
    def open_to_all(self) -> list[CourseInstance]:
        """Instances any student may be on: all but the doctoral courses."""
        return [i for i in self.instances.values() if i.course.level != "doctoral"]


def weeks_at_half_pace(credits: Decimal) -> int:
    """Half-time study: 0.75 credits a week, so 7.5 credits take ten weeks."""
    return max(1, int((credits / (FULL_TIME_CREDITS_PER_WEEK / 2)).to_integral_value()))


def pace(credits: Decimal, start: datetime.date, end: datetime.date) -> int:
    weeks = Decimal((end - start).days + 1) / 7
    percent = credits / (FULL_TIME_CREDITS_PER_WEEK * weeks) * 100
    return min(100, max(1, int(percent.to_integral_value(ROUND_HALF_UP))))


def single_period_plan(
    start: datetime.date,
    credits: Decimal,
    opens: datetime.date,
    closes: datetime.date,
    calendar: Calendar,
) -> InstancePlan:
    end = start + weeks_at_half_pace(credits) * WEEK - DAY
    return InstancePlan(start, end, (PeriodPlan(calendar.term_of(start), credits, opens, closes),))


def plan_term_instance(
    course: CourseData, position: int, term: Term, calendar: Calendar
) -> InstancePlan:
    """An ordinary instance: first or second half of the term by turns; registration opens two
    weeks before the start and closes a week after it."""
    weeks = weeks_at_half_pace(course.credits) * WEEK
    start = term.start if position % 2 == 0 else min(term.start + 10 * WEEK, term.end + DAY - weeks)
    return single_period_plan(start, course.credits, start - 2 * WEEK, start + WEEK, calendar)


def plan_current_instance(
    course: CourseData, role: str, calendar: Calendar, today: datetime.date
) -> InstancePlan:
    if role == "ongoing":
        start = today - 5 * WEEK
        return single_period_plan(start, course.credits, start - 2 * WEEK, start + WEEK, calendar)
    if role == "open_now":
        return single_period_plan(
            today - 3 * DAY, course.credits, today - WEEK, today + WEEK, calendar
        )
    if role == "opens_later":
        return single_period_plan(
            today + 2 * WEEK, course.credits, today + 10 * DAY, today + 24 * DAY, calendar
        )
    return plan_spanning_instance(course, calendar)


def plan_spanning_instance(course: CourseData, calendar: Calendar) -> InstancePlan:
    first = (course.credits / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)
    periods = tuple(
        PeriodPlan(term, credits, term.start - 2 * WEEK, term.start + WEEK)
        for term, credits in ((calendar.current, first), (calendar.next, course.credits - first))
    )
    return InstancePlan(calendar.current.start, calendar.next.end, periods)


def plan_instances(
    courses: tuple[CourseData, ...], calendar: Calendar, today: datetime.date
) -> dict[tuple[str, str], InstancePlan]:
    plans = {}
    for position, course in enumerate(courses):
        for role in TERM_ROLES:
            term = getattr(calendar, role)
            if role == "current" and position < len(CURRENT_TERM_ROLES):
                plan = plan_current_instance(course, CURRENT_TERM_ROLES[position], calendar, today)
            else:
                plan = plan_term_instance(course, position, term, calendar)
            plans[(course.code, role)] = plan
    return plans


def create_catalogue(
    institution: Institution,
    *,
    org_units: list[OrgUnit],
    town: str,
    code_base: int,
    calendar: Calendar,
    today: datetime.date,
) -> Catalogue:
    catalogue = Catalogue(institution, town, code_base)
    scales = {scale.code: scale for scale in GradingScale.objects.all()}
    courses = COURSES[institution.code]
    _create_study_periods(catalogue, calendar)
    create_courses(catalogue, courses, {u.code: u for u in org_units}, scales)
    _create_instances(catalogue, plan_instances(courses, calendar, today))
    for number, programme in enumerate(PROGRAMMES[institution.code], start=1):
        _create_programme(catalogue, programme, calendar, str(code_base + 9000 + number))
    return catalogue


def _create_study_periods(catalogue: Catalogue, calendar: Calendar) -> None:
    for term in calendar.all:
        catalogue.study_periods[term.code] = StudyPeriod.objects.create(
            institution=catalogue.institution,
            code=term.code,
            name_sv=term.name_sv,
            name_en=term.name_en,
            start_date=term.start,
            end_date=term.end,
        )


def create_courses(
    catalogue: Catalogue,
    courses: tuple[CourseData, ...],
    org_units: dict[str, OrgUnit],
    scales: dict[str, GradingScale],
) -> None:
    for data in courses:
        course = Course.objects.create(
            institution=catalogue.institution,
            org_unit=org_units[data.org_unit],
            code=data.code,
            name_sv=data.name_sv,
            name_en=data.name_en,
            credits=data.credits,
            grading_scale=scales[data.scale],
            level=data.level,
        )
        Module.objects.bulk_create(
            Module(
                institution=catalogue.institution,
                course=course,
                code=m.code,
                name_sv=m.name_sv,
                name_en=m.name_en,
                credits=m.credits,
                grading_scale=scales[m.scale],
                position=position,
            )
            for position, m in enumerate(data.modules, start=1)
        )
        catalogue.courses[data.code] = course


def _create_instances(catalogue: Catalogue, plans: dict[tuple[str, str], InstancePlan]) -> None:
    # Numbered in the order they start, as a registry hands out codes.
    in_order = sorted(plans.items(), key=lambda item: (item[1].start, item[0]))
    for number, ((course_code, role), plan) in enumerate(in_order, start=1):
        catalogue.instances[(course_code, role)] = create_instance(
            catalogue, catalogue.courses[course_code], str(catalogue.code_base + number), plan
        )


def create_instance(
    catalogue: Catalogue, course: Course, instance_code: str, plan: InstancePlan
) -> CourseInstance:
    """An instance with its study periods, which it carries as `periods_list`."""
    instance = CourseInstance.objects.create(
        institution=catalogue.institution,
        course=course,
        instance_code=instance_code,
        start_date=plan.start,
        end_date=plan.end,
        pace=pace(course.credits, plan.start, plan.end),
        town=catalogue.town,
        teaching_language="sv" if course.level == "first" else "en",
    )
    instance.periods_list = _create_instance_periods(catalogue, instance, plan)
    return instance


def _create_instance_periods(
    catalogue: Catalogue, instance: CourseInstance, plan: InstancePlan
) -> list[CourseInstancePeriod]:
    return CourseInstancePeriod.objects.bulk_create(
        CourseInstancePeriod(
            institution=catalogue.institution,
            course_instance=instance,
            study_period=catalogue.study_periods[period.term.code],
            sequence=sequence,
            credits=period.credits,
            registration_opens=period.opens,
            registration_closes=period.closes,
        )
        for sequence, period in enumerate(plan.periods, start=1)
    )


def _create_programme(
    catalogue: Catalogue, data: ProgrammeData, calendar: Calendar, instance_code: str
) -> None:
    institution = catalogue.institution
    parent = catalogue.programmes[data.parent].programme if data.parent else None
    programme = Programme.objects.create(
        institution=institution,
        code=data.code,
        kind=data.kind,
        credits=data.credits,
        name_sv=data.name_sv,
        name_en=data.name_en,
        parent=parent,
    )
    terms = terms_from(getattr(calendar, data.first_term), data.terms)
    instance = ProgrammeInstance.objects.create(
        institution=institution,
        programme=programme,
        instance_code=instance_code,
        start_date=terms[0].start,
        end_date=terms[-1].end,
        town=catalogue.town,
    )
    ProgrammeCourse.objects.bulk_create(
        ProgrammeCourse(
            institution=institution,
            programme_instance=instance,
            course_instance=catalogue.instance(course_code, role),
            term_number=term_number,
        )
        for term_number, course_code, role in data.structure
    )
    catalogue.programmes[data.code] = instance
    catalogue.structures[data.code] = [catalogue.instance(c, r) for _, c, r in data.structure]
