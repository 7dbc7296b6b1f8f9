"""The start page's new results link to the student's participation on the result's course
(S-HOME-1): the one on the result's own instance, else the latest on the course (a result
reported on an instance the student never held a place on, T-REP-4). On every database the
project runs on, SQLite included (an outer column in a subquery's ORDER BY broke it there)."""

import datetime

import pytest

from ladokportal import clock
from registration.models import ParticipationState
from results.models import Result
from results.queries.student import new_results
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import CourseInstanceFactory, CourseParticipationFactory
from tests.factories.results import grade, reporting_world
from tests.results.deep_helpers import days_ago

pytestmark = pytest.mark.django_db


def _instance(world, start: datetime.date):
    return CourseInstanceFactory(
        course=world.instance.course, start_date=start, end_date=start + datetime.timedelta(60)
    )


def _certify(world, person, instance):
    reporting.save_drafts(
        world.reporter,
        course_instance=instance,
        module=world.module,
        entries=[Entry(person=person, grade=grade("G"), examination_date=days_ago(2))],
    )
    draft = Result.objects.get(person=person, course_instance=instance)
    [ready] = reporting.mark_ready(
        world.reporter, results=[draft], graded_by=world.reporter, notify=None
    )
    return certifying.certify(world.examiner, results=[ready])[0]


def test_the_link_is_the_participation_on_the_results_own_instance(institution):
    world = reporting_world(institution, students=1, modules=1)
    student = world.students[0]
    own = student.course_participations.get(course_instance=world.instance)
    later = CourseParticipationFactory(
        person=student,
        course_instance=_instance(world, world.instance.start_date + datetime.timedelta(100)),
        state=ParticipationState.ADMITTED,
    )
    _certify(world, student, world.instance)

    [shown] = new_results(student)
    assert shown.participation_id == own.public_id != later.public_id


def test_without_a_place_on_that_instance_the_link_is_the_latest_on_the_course(institution):
    world = reporting_world(institution, students=1, modules=1)
    student = world.students[0]
    latest = CourseParticipationFactory(
        person=student,
        course_instance=_instance(world, world.instance.start_date + datetime.timedelta(100)),
        state=ParticipationState.ADMITTED,
    )
    elsewhere = _instance(world, clock.today() - datetime.timedelta(20))
    _certify(world, student, elsewhere)

    [shown] = new_results(student)
    assert shown.course_instance == elsewhere
    assert shown.participation_id == latest.public_id
