"""Reads behind the Report pages (results.queries.report): who is on a sheet, which certified
result counts, whom the mark-ready form offers, which points table applies (B-8), and what the
report-by-code sheet holds (B-6: codes and results, the persons only server-side)."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ladokportal import clock
from people.models import StaffRoleKind
from results.models import GradeThreshold, Result
from results.queries import report as q
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import (
    CourseInstanceFactory,
    OrgUnitFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import grade, register, reporting_world

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def at(n: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(8)))


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=2, modules=1)


def _report(world, person, code="G", instance=None, session=None, day=-2):
    reporting.save_drafts(
        world.reporter,
        course_instance=instance or world.instance,
        module=world.module,
        entries=[Entry(person=person, grade=grade(code), examination_date=days(day))],
        activity_session=session,
    )
    return Result.objects.get(person=person, state="draft", module=world.module)


def _certify(world, result):
    ready = reporting.mark_ready(
        world.reporter, results=[result], graded_by=world.reporter, notify=world.examiner
    )
    return certifying.certify(world.examiner, results=ready)[0]


def test_sheet_rows_are_registered_students_those_with_results_and_those_added(world):
    first, second = world.students
    earlier = CourseInstanceFactory(course=world.instance.course, start_date=days(-400))
    returning = PersonFactory(last_name="Ö")
    register(returning, earlier)
    stranger = PersonFactory(last_name="Å")
    sheet = q.sheet(world.instance, world.module, [returning.pk])
    assert {r.person for r in sheet.rows} == {first, second, returning}
    assert stranger not in [r.person for r in q.sheet(world.instance, world.module).rows]


def test_the_latest_certified_result_counts_also_from_an_earlier_instance(world):
    first, _second = world.students
    earlier = CourseInstanceFactory(course=world.instance.course, start_date=days(-400))
    register(first, earlier)
    old = _certify(world, _report(world, first, "U", instance=earlier, day=-20))
    new = _certify(world, _report(world, first, "G", day=-3))
    retake = _report(world, first, "U", day=-1)
    row = next(r for r in q.sheet(world.instance, world.module).rows if r.person == first)
    assert (row.certified, row.open_result) == (new, retake)
    assert old.pk != new.pk


def test_a_result_by_code_is_marked_as_such_until_certified(world):
    first, _second = world.students
    session = ActivitySessionFactory(
        institution=world.instance.institution, anonymous=True, course_instances=[world.instance]
    )
    draft = _report(world, first, session=session)
    row = next(r for r in q.sheet(world.instance, world.module).rows if r.person == first)
    assert row.by_code
    _certify(world, draft)
    row = next(r for r in q.sheet(world.instance, world.module).rows if r.person == first)
    assert (row.by_code, row.open_result, row.certified.pk) == (False, None, draft.pk)
    # Only results reported by name can be ticked on the name sheet.
    assert q.open_results(world.instance, world.module, None) == []


def test_grading_teachers_and_examiners_follow_the_scope_of_their_rights(world, institution):
    course = world.instance.course
    unit = OrgUnitFactory(institution=institution)
    course.org_unit = unit
    course.save()
    by_unit = UserFactory(username="unit-examiner", last_name="Aaa")
    StaffRoleFactory(
        user=by_unit, institution=institution, role=StaffRoleKind.CERTIFIER, org_unit=unit
    )
    other_unit = UserFactory(username="other-unit", last_name="Bbb")
    StaffRoleFactory(
        user=other_unit,
        institution=institution,
        role=StaffRoleKind.CERTIFIER,
        org_unit=OrgUnitFactory(institution=institution),
    )
    gone = UserFactory(username="gone", is_active=False)
    StaffRoleFactory(
        user=gone, institution=institution, role=StaffRoleKind.CERTIFIER, course=course
    )
    examiners = list(q.examiners(course, institution.pk))
    assert examiners == [by_unit, world.examiner]
    teachers = set(q.grading_teachers(course, institution.pk))
    assert teachers == {by_unit, world.examiner, world.reporter, world.study_admin}


def test_the_points_table_that_applies_to_a_row(world):
    module = world.module

    def session_on(n: int):
        s = ActivitySessionFactory(
            institution=world.instance.institution,
            starts_at=at(n),
            ends_at=at(n) + datetime.timedelta(hours=4),
            course_instances=[world.instance],
        )
        s.modules.add(module)
        GradeThreshold.objects.create(
            institution=s.institution, session=s, grade=grade("G"), min_points=Decimal(10 - n)
        )
        return s

    assert q.module_thresholds(world.instance, module).for_row(None, days(-1)) == []
    first = session_on(-10)
    only = q.module_thresholds(world.instance, module)
    assert only.for_row(None, None) == [(grade("G"), Decimal(20))]
    second = session_on(-3)
    both = q.module_thresholds(world.instance, module)
    assert both.for_row(None, days(-5)) == []  # two tables and no session that day
    assert both.for_row(None, days(-3)) == [(grade("G"), Decimal(13))]
    assert both.for_row(first.pk, days(-3)) == [(grade("G"), Decimal(20))]
    assert second.pk in both.by_session


def test_code_sheet_keeps_the_persons_server_side(world):
    first, second = world.students
    session = ActivitySessionFactory(
        institution=world.instance.institution, anonymous=True, course_instances=[world.instance]
    )
    session.modules.add(world.module)
    SignupFactory(session=session, person=first, anonymisation_code="X-2")
    SignupFactory(session=session, person=second, anonymisation_code="X-1")
    cancelled = SignupFactory(
        session=session, person=PersonFactory(), anonymisation_code="X-3", cancelled_at=at(-1)
    )
    draft = _report(world, first, session=session)
    sheet = q.code_sheet(session, world.module, [world.instance])
    assert [(r.code, r.result) for r in sheet.rows] == [("X-1", None), ("X-2", draft)]
    assert {code: t.person_id for code, t in sheet.targets.items()} == {
        "X-1": second.pk,
        "X-2": first.pk,
    }
    assert cancelled.anonymisation_code not in sheet.targets
    # What a template receives names nobody.
    for row in sheet.rows:
        assert set(dataclasses.asdict(row)) == {"code", "result"}
    assert q.session_open_results(session, world.module, ["X-2"]) == [("X-2", draft)]


def test_find_for_course_needs_a_registration_on_the_course(world, institution):
    first, _second = world.students
    from registration.staff_queries import StudentKey

    assert q.find_for_course(world.instance.course, StudentKey(first.identity_number)) == first
    other = CourseInstanceFactory(course__institution=institution)
    assert q.find_for_course(other.course, StudentKey(first.identity_number)) is None
    assert q.find_for_course(world.instance.course, StudentKey("199001011239")) is None
