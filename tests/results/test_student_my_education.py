"""My education from the results (S-EDU-1, S-EDU-2, S-CRED-3): the Completed filter is the
courses with a certified final grade; the summary sums completed credits from certified passed
results in the database, and how much of that is credited (source "credit")."""

from decimal import Decimal

import pytest
from django.utils import translation

from results.models import ResultSource
from results.queries.student import credit_summary
from results.services import removal
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, course_grade, login_for, ready, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    # Two modules of 3.0 credits each; the course itself has 7.5 credits.
    return reporting_world(institution, students=2)


def shown(response) -> list[int]:
    education = response.context["education"]
    rows = [row for g in education.programmes for row in g.courses] + education.courses
    return [row.participation.course_instance_id for row in rows]


def summary(person) -> tuple[Decimal, Decimal]:
    totals = credit_summary(person)
    return totals.completed, totals.credited


def test_a_passed_module_counts_its_credits_and_nothing_undecided_counts(world):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1)
    ready(world, {me: "G"}, module=m2)

    assert summary(me) == (Decimal("3.0"), Decimal(0))


def test_a_failed_module_counts_nothing_until_the_retake_is_passed(world):
    me, m1 = world.students[0], world.modules[0]
    certify(world, {me: "U"}, module=m1, days_ago=10)
    failed = summary(me)
    certify(world, {me: "G"}, module=m1, days_ago=2)

    assert (failed, summary(me)) == ((Decimal(0), Decimal(0)), (Decimal("3.0"), Decimal(0)))


def test_a_pass_superseded_by_a_later_fail_counts_nothing(world):
    """The counting result is the latest certified one (results.validation)."""
    me, m1 = world.students[0], world.modules[0]
    certify(world, {me: "G"}, module=m1, days_ago=10)
    certify(world, {me: "U"}, module=m1, days_ago=2)

    assert summary(me) == (Decimal(0), Decimal(0))


def test_a_certified_course_grade_counts_the_course_credits_once(world):
    me = world.students[0]
    course_grade(world, me, "G")

    assert summary(me) == (Decimal("7.5"), Decimal(0))


def test_a_removed_result_counts_nothing(world):
    me, m1 = world.students[0], world.modules[0]
    result = certify(world, {me: "G"}, module=m1)[0]
    removal.remove(world.examiner, result=result, reason="Reported on the wrong student")

    assert summary(me) == (Decimal(0), Decimal(0))


def test_credited_modules_are_counted_as_credited(world):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=m2)

    assert summary(me) == (Decimal("6.0"), Decimal("3.0"))


def test_a_credited_module_under_a_course_grade_stays_credited(world):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=m2)
    certify(world, {me: "G"}, module=None)

    assert summary(me) == (Decimal("7.5"), Decimal("3.0"))


def test_another_students_results_do_not_count(world):
    me, other = world.students
    course_grade(world, other, "G")

    assert summary(me) == (Decimal(0), Decimal(0))


def test_completed_filter_is_the_courses_with_a_certified_final_grade(
    world, institution, client_for
):
    me = world.students[0]
    other = reporting_world(institution, students=0)
    from tests.factories.results import register

    register(me, other.instance)
    # Only a module on the other course: not completed.
    other.students = [me]
    certify(other, {me: "G"}, module=other.module)
    course_grade(world, me, "G")
    client = client_for(login_for(me))

    results = {
        show: shown(client.get("/education/", {"show": show}))
        for show in ("completed", "not_completed")
    }

    assert results == {
        "completed": [world.instance.pk],
        "not_completed": [other.instance.pk],
    }


def test_a_removed_course_grade_no_longer_completes_the_course(world, client_for):
    me = world.students[0]
    final = course_grade(world, me, "G")
    removal.remove(world.examiner, result=final, reason="Decision 2026/14")
    client = client_for(login_for(me))

    completed = shown(client.get("/education/", {"show": "completed"}))
    not_completed = shown(client.get("/education/", {"show": "not_completed"}))

    assert (completed, not_completed) == ([], [world.instance.pk])


def test_summary_shows_completed_and_credited_credits(world, client_for):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=m2)

    text = client_for(login_for(me)).get("/education/").text

    assert "<dt>Completed credits</dt><dd>6 credits</dd>" in text
    assert "<dt>Of which credited</dt><dd>3 credits</dd>" in text


def test_summary_in_swedish(world, client_for):
    me, m1 = world.students[0], world.modules[0]
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    client = client_for(login_for(me))
    client.post("/language/", {"language": "sv", "next": "/education/"})

    text = client.get("/education/").text

    assert text.count("<dd>3 hp</dd>") == 2


def test_credited_filter_lists_each_credited_target(world, client_for):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=m2)
    report(world, {me: "G"}, module=None, source=ResultSource.CREDIT)

    response = client_for(login_for(me)).get("/education/", {"show": "credited"})

    credited = response.context["education"].credited
    assert [(r.module_id, r.grade.code) for r in credited] == [(m1.pk, "G")]
    assert f"{m1.code} {m1.name}" in response.text
    assert "You have no credit transfers at this university." not in response.text


@pytest.mark.parametrize("items", [1, 3])
@pytest.mark.parametrize(("show", "queries"), [("all", 8), ("credited", 7)])
def test_query_count_does_not_grow_with_results(
    items, show, queries, institution, client_for, django_assert_num_queries
):
    me = None
    for _ in range(items):
        world = reporting_world(institution, students=1)
        if me is None:
            me = world.students[0]
        else:
            from tests.factories.results import register

            register(me, world.instance)
            world.students = [me]
        certify(world, {me: "G"}, module=world.modules[0], source=ResultSource.CREDIT)
        course_grade(world, me, "G")
    client = client_for(login_for(me))

    # Session, user, person, universities; programmes, courses, the credit sum (and the
    # credited results under Credited, and as other results under All).
    with django_assert_num_queries(queries):
        response = client.get("/education/", {"show": show})

    assert response.context["education"].completed_credits == Decimal("7.5") * items
