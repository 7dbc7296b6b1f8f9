"""The preview before certifying (B-4) and the certify list's reads (T-CERT-1, T-CERT-3): which
warnings a batch gets, and that both cost a fixed number of queries."""

import datetime

import pytest
from django.utils import translation

from ladokportal import clock
from registration.models import ParticipationState
from results import preview
from results.models import Result, ResultState
from results.queries import certify as certify_queries
from results.services import reporting
from results.validation import Entry
from tests.factories import UserFactory
from tests.factories.results import grade, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def day(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def ready(world, notify=None):
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(person=p, grade=grade("G"), examination_date=day(-2)) for p in world.students
        ],
    )
    return reporting.mark_ready(
        world.reporter,
        results=list(Result.objects.filter(state=ResultState.DRAFT)),
        graded_by=world.reporter,
        notify=notify or world.examiner,
    )


def loaded(results):
    return certify_queries.results_by_public_id([r.public_id for r in results])


def test_a_clean_batch_has_no_warnings(institution):
    world = reporting_world(institution)
    shown = preview.build(loaded(ready(world)), 3)
    assert [row.warnings for row in shown.rows] == [[], [], []]
    assert shown.warning_count == 0 and shown.missing == 0
    assert all(row.emailed for row in shown.rows)


def test_each_warning(institution):
    world = reporting_world(institution)
    results = ready(world)
    Result.objects.filter(pk=results[0].pk).update(examination_date=day(1))
    Result.objects.filter(pk=results[1].pk).update(grade=grade("U"), examination_date=day(-3))
    world.students[2].course_participations.update(state=ParticipationState.DROPPED)
    shown = preview.build(loaded(results), 3)
    by_person = {row.result.person_id: row.warnings for row in shown.rows}
    first, second, third = (by_person[p.pk] for p in world.students)
    assert any("after today" in w for w in first)
    assert any("marked as ready" in w and "date" in w for w in first)
    assert any("grade was G" in w and "now U" in w for w in second)
    assert any("date was" in w for w in second)
    assert third == ["The student is no longer registered on this course instance (dropped out)."]
    assert shown.warning_count == 3


def test_results_no_longer_ready_are_left_out(institution):
    world = reporting_world(institution)
    results = ready(world)
    reporting.unmark(world.reporter, results=[results[0]])
    shown = preview.build(loaded(results), 3)
    assert len(shown.rows) == 2 and shown.missing == 1


def test_preview_costs_one_query_at_any_size(institution, django_assert_num_queries):
    for size in (2, 30):
        world = reporting_world(institution, students=size)
        results = loaded(ready(world))
        with django_assert_num_queries(1):  # the participations; the results are loaded
            shown = preview.build(results, size)
        assert len(shown.rows) == size


def test_overview_counts_mine_and_all(institution, django_assert_num_queries):
    world = reporting_world(institution)
    colleague = UserFactory(username="colleague")
    from tests.factories import StaffRoleFactory

    StaffRoleFactory(
        user=colleague, institution=institution, role="certifier", course=world.instance.course
    )
    ready(world, notify=colleague)
    with django_assert_num_queries(1):
        mine = certify_queries.certify_overview(world.examiner, institution, mine=True)
    assert mine == []
    everything = certify_queries.certify_overview(world.examiner, institution, mine=False)
    assert [(i.pk, i.ready_count) for i in everything] == [(world.instance.pk, 3)]
    assert certify_queries.certify_overview(world.outsider, institution, mine=False) == []
