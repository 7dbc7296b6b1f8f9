"""T-DEAD-1 on the staff home: sessions whose results are due within a week or overdue, for the
persons who report on their courses, with how many results are still missing."""

import datetime

import pytest
from django.utils import timezone

from ladokportal import clock
from results.deadlines import reporting_deadline
from results.models import ResultState
from results.queries import deadlines
from tests.factories.exams import ActivitySessionFactory, SignupFactory, _at
from tests.factories.results import ResultFactory, reporting_world

pytestmark = pytest.mark.django_db


def _session(world, days_ago: int, participants: int = 2, **fields):
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        course_instances=[world.instance],
        starts_at=_at(-days_ago),
        ends_at=_at(-days_ago, 13),
        **fields,
    )
    session.modules.add(world.module)
    signups = [SignupFactory(session=session, person=s) for s in world.students[:participants]]
    return session, signups


def _certify(world, person, session):
    return ResultFactory(
        course_instance=world.instance,
        module=world.module,
        person=person,
        examination_date=clock.date_of(session.starts_at),
        state=ResultState.CERTIFIED,
        certified_at=timezone.now(),
        certified_by=world.examiner,
    )


def test_overdue_and_due_soon_listed_done_and_far_not(institution):
    world = reporting_world(institution, students=2)
    overdue, _ = _session(world, days_ago=60, label="OLD")
    soon, _ = _session(world, days_ago=16, label="SOON")  # 15 working days end within a week
    done, signups = _session(world, days_ago=40, label="DONE")
    for signup in signups:
        _certify(world, signup.person, done)
    _session(world, days_ago=1, label="FRESH")  # three weeks left: not yet on the list
    _certify(world, world.students[0], overdue)

    rows = deadlines.due_sessions(world.reporter, institution)

    assert [r.session.label for r in rows] == ["OLD", "SOON"]
    old, due_soon = rows
    assert (old.participants, old.certified, old.missing, old.overdue) == (2, 1, 1, True)
    assert due_soon.deadline == reporting_deadline(clock.date_of(soon.starts_at))
    assert due_soon.deadline >= clock.today()
    assert not due_soon.overdue


def test_a_result_of_another_day_does_not_count(institution):
    world = reporting_world(institution, students=1)
    session, _ = _session(world, days_ago=60, participants=1)
    earlier = ResultFactory(
        course_instance=world.instance,
        module=world.module,
        person=world.students[0],
        examination_date=clock.date_of(session.starts_at) - datetime.timedelta(days=1),
        state=ResultState.CERTIFIED,
        certified_at=timezone.now(),
        certified_by=world.examiner,
    )
    assert earlier.pk
    assert deadlines.due_sessions(world.reporter, institution)[0].missing == 1


def test_drafts_do_not_count_as_reported(institution):
    world = reporting_world(institution, students=1)
    session, _ = _session(world, days_ago=60, participants=1)
    ResultFactory(
        course_instance=world.instance,
        module=world.module,
        person=world.students[0],
        examination_date=clock.date_of(session.starts_at),
    )
    assert deadlines.due_sessions(world.reporter, institution)[0].missing == 1


def test_only_sessions_of_courses_the_person_reports_on(institution, other_institution):
    world = reporting_world(institution, students=1)
    _session(world, days_ago=60, participants=1)
    assert deadlines.due_sessions(world.outsider, institution) == []
    assert deadlines.due_sessions(world.reporter, other_institution) == []


def test_staff_home_lists_them(institution, client_for):
    world = reporting_world(institution, students=2)
    _session(world, days_ago=60, label="OLD")
    page = client_for(world.reporter).get("/staff/").text
    assert "OLD" in page
    assert "overdue: 2 results missing" in page
    assert f"/staff/results/{world.instance.public_id}/" in page
    assert "OLD" not in client_for(world.outsider).get("/staff/").text


@pytest.mark.parametrize("count", [1, 4])
def test_staff_home_query_count_does_not_grow(
    institution, client_for, django_assert_num_queries, count
):
    world = reporting_world(institution, students=2)
    for n in range(count):
        _session(world, days_ago=60 + n)
    client = client_for(world.reporter)
    with django_assert_num_queries(8):
        response = client.get("/staff/")
    assert len(response.context["due_sessions"]) == count
