"""The staff student overview's results (T-ADM-2, T-ROLE-1, B-3, B-6): with each course
participation the student's results on its instance, their state in words and a link to the
timeline; in every state for staff with a right on the course, certified only for the others;
an anonymous exam's grade hidden until certified."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ladokportal import clock
from results.models import ResultSource
from results.services import removal
from tests.factories import StaffRoleFactory, UserFactory
from tests.factories.catalog import CourseFactory
from tests.factories.exams import ActivitySessionFactory
from tests.factories.results import register, reporting_world
from tests.studentweb.results_world import certify, ready, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=1, modules=3)


def overview_url(person) -> str:
    return reverse("staff_student", args=[person.public_id])


def rows(text: str) -> list[str]:
    """The text of each result row on the page, whitespace collapsed."""
    found = []
    for part in text.split('<li class="result-row"')[1:]:
        item = part.split("</li>", 1)[0].split(">", 1)[1]
        plain = ""
        inside = False
        for char in item:
            if char == "<":
                inside = True
            elif char == ">":
                inside = False
            elif not inside:
                plain += char
        found.append(" ".join(plain.split()))
    return found


def every_state(world):
    """A draft, a result marked ready, a certified one, one prepared for removal, a removed one."""
    me = world.students[0]
    m1, m2, m3 = world.modules
    certify(world, {me: "G"}, module=m1, days_ago=3, source=ResultSource.CREDIT)
    report(world, {me: "U"}, module=m1)
    ready(world, {me: "G"}, module=m2)
    removed = certify(world, {me: "G"}, module=m3, days_ago=9)[0]
    removal.remove(world.examiner, result=removed, reason="Reported on the wrong student")
    prepared = certify(world, {me: "U"}, module=m3, days_ago=5)[0]
    removal.prepare_removal(world.reporter, result=prepared, reason="Case 2026/7")


def test_staff_with_a_right_on_the_course_see_every_state(world, client_for):
    every_state(world)
    me = world.students[0]

    text = client_for(world.study_admin).get(overview_url(me)).text

    m1, m2, m3 = world.modules
    day = lambda n: (clock.today() - datetime.timedelta(days=n)).isoformat()  # noqa: E731
    found = [row.split(" · certified by")[0].split(" · Timeline")[0] for row in rows(text)]
    assert found == [
        f"{m1.code} {m1.name}: Pass (G) · {day(3)} · Certified Credited",
        f"{m1.code} {m1.name}: Fail (U) · {day(2)} · Draft",
        f"{m2.code} {m2.name}: Pass (G) · {day(2)} · Marked as ready",
        f"{m3.code} {m3.name}: Pass (G) · {day(9)} · Removed",
        f"{m3.code} {m3.name}: Fail (U) · {day(5)} · Prepared for removal",
    ]


def test_each_result_links_to_its_timeline_for_staff_with_the_right(world, client_for):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    url = reverse("staff_result_timeline", args=[result.public_id])

    text = client_for(world.study_admin).get(overview_url(me)).text

    assert f'<a href="{url}">Timeline' in text


def test_staff_without_a_right_on_the_course_see_only_certified_results(
    world, institution, client_for
):
    every_state(world)
    me = world.students[0]
    elsewhere = UserFactory(username="narrow")
    StaffRoleFactory(
        user=elsewhere,
        institution=institution,
        role="study_admin",
        course=CourseFactory(institution=institution),
    )

    text = client_for(elsewhere).get(overview_url(me)).text

    found = rows(text)
    assert [row.split(" · certified by")[0].split(" · ")[-1] for row in found] == [
        "Certified Credited",
        "Prepared for removal",
    ]
    assert "Timeline" not in text
    assert "Draft" not in text


def test_an_anonymous_exams_grade_is_hidden_until_certified(world, institution, client_for):
    me = world.students[0]
    m1, m2, _m3 = world.modules
    session = ActivitySessionFactory(
        institution=institution,
        anonymous=True,
        course_instances=[world.instance],
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=4),
    )
    report(world, {me: "U"}, module=m1, source=ResultSource.API, activity_session=session)
    certify(world, {me: "G"}, module=m2, source=ResultSource.API, activity_session=session)

    text = client_for(world.study_admin).get(overview_url(me)).text

    first, second = rows(text)
    assert "grade hidden until certified (anonymous exam)" in first
    assert "Fail" not in first
    assert "Pass (G)" in second


def test_results_on_an_instance_without_a_place_are_listed_apart(world, institution, client_for):
    """T-REP-4: a student registered on an earlier instance may be reported on a later one."""
    me = world.students[0]
    later = reporting_world(institution, students=0)
    from catalog.models import CourseInstance

    CourseInstance.objects.filter(pk=later.instance.pk).update(course=world.instance.course)
    later.instance.refresh_from_db()
    later.modules = world.modules
    later.students = [me]
    later.reporter, later.examiner = world.reporter, world.examiner
    certify(later, {me: "G"}, module=world.module)

    text = client_for(world.study_admin).get(overview_url(me)).text

    other = text.split('id="other-results"', 1)[1].split("</section>", 1)[0]
    course = world.instance.course
    assert f"{course.code} ({later.instance.instance_code}): {world.module.code}" in " ".join(
        other.split()
    )


def test_a_teacher_without_the_study_admin_role_gets_no_overview(world, client_for):
    me = world.students[0]

    response = client_for(world.reporter).get(overview_url(me))

    assert response.status_code == 403


def test_nobody_logged_in_is_sent_to_log_in(world, client):
    response = client.get(overview_url(world.students[0]))

    assert (response.status_code, response.url.startswith("/accounts/login/")) == (302, True)


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_results(
    count, institution, client_for, django_assert_num_queries
):
    world = reporting_world(institution, students=1, modules=count)
    me = world.students[0]
    for module in world.modules:
        certify(world, {me: "U"}, module=module, days_ago=6)
        ready(world, {me: "G"}, module=module)
    other = reporting_world(institution, students=0)
    register(me, other.instance)
    client = client_for(world.study_admin)

    # Session, user, staff universities, the role check, the person; programmes (none, so
    # nothing prefetched for them); courses, their registrations, periods and events; the
    # managed instances; the result rights and the results; the admit choices; the latest
    # certificates; the credit-transfer cases and the Emrex transfers (T-ADM-2).
    with django_assert_num_queries(17):
        response = client.get(overview_url(me))

    assert len(rows(response.text)) == 2 * count
