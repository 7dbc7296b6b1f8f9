"""Course search and course view (seed 004): staff find a course by code or name from the top of
every staff page; the course lists its instances; an instance lists its modules and activity
sessions with Report and Certify tabs always reachable (T-CERT-1, T-ANON-1), also when nothing
waits. From the report sheet each result's timeline (B-3) is one click away, certified rows show
their examination points, and from the timeline a reporter prepares a removal and an examiner
removes (T-REM-1). Every new URL tried as a student, as staff of another university and nobody."""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from exams.models import ActivitySession
from ladokportal import clock
from people.models import StaffRoleKind
from results.models import Result, ResultState
from tests.factories import StaffRoleFactory, UserFactory
from tests.factories.certificates import certified
from tests.factories.exams import ActivitySessionFactory
from tests.factories.results import reporting_world
from tests.statements import count_statements

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    found = reporting_world(institution, students=2, code="MATA21", name_en="Analysis 1")
    session = ActivitySessionFactory(
        institution=institution, anonymous=True, course_instances=[found.instance]
    )
    session.modules.set([found.module])
    found.extra["session"] = session
    return found


def course_url(world) -> str:
    return f"/staff/courses/{world.instance.course.code}/"


def instance_url(world) -> str:
    return f"{course_url(world)}{world.instance.public_id}/"


def urls(world) -> list[str]:
    return ["/staff/courses/?q=MATA", course_url(world), instance_url(world)]


def test_nobody_is_sent_to_log_in(world):
    for url in urls(world):
        response = Client().get(url)
        assert (response.status_code, response.url.startswith("/accounts/login/")) == (302, True)


def test_a_student_is_sent_to_the_student_web(world, student_user, client_for):
    client = client_for(student_user)
    assert [client.get(url).status_code for url in urls(world)] == [403, 403, 403]


def test_another_universitys_staff_find_nothing_of_this_one(world, other_institution, client_for):
    theirs = UserFactory(username="ulla")
    StaffRoleFactory(user=theirs, institution=other_institution, role=StaffRoleKind.STUDY_ADMIN)
    client = client_for(theirs)
    assert client.get("/staff/courses/?q=MATA").context["courses"] == []
    assert client.get(course_url(world)).status_code == 404
    assert client.get(instance_url(world)).status_code == 404


def test_search_by_code_or_name_finds_the_course(world, client_for):
    client = client_for(world.reporter)
    by_code = client.get("/staff/courses/?q=mata2")
    by_name = client.get("/staff/courses/?q=analysis")
    assert [c.code for c in by_code.context["courses"]] == ["MATA21"]
    assert [c.code for c in by_name.context["courses"]] == ["MATA21"]
    assert 'action="/staff/courses/"' in client.get("/staff/").text


def test_the_course_lists_its_instances(world, client_for):
    response = client_for(world.reporter).get(course_url(world))
    assert list(response.context["instances"]) == [world.instance]
    assert instance_url(world) in response.text


def test_examiner_reaches_the_certify_tab_of_a_session_with_nothing_ready(world, client_for):
    client = client_for(world.examiner)
    session = world.extra["session"]
    page = client.get(instance_url(world)).text
    certify = f"/staff/results/certify/sessions/{session.public_id}/"
    assert f'href="{certify}"' in page
    assert f'href="/staff/results/sessions/{session.public_id}/report/"' in page
    assert client.get(certify).status_code == 200


def test_a_reporter_sees_report_tabs_but_no_certify_tab(world, client_for):
    session = world.extra["session"]
    page = client_for(world.reporter).get(instance_url(world)).text
    assert f"/staff/results/certify/sessions/{session.public_id}/" not in page
    assert f"/staff/results/{world.instance.public_id}/{world.module.code}/" in page


def test_staff_without_a_right_on_the_course_are_told_so(world, client_for):
    page = client_for(world.outsider).get(instance_url(world)).text
    assert "You have no right to report or certify results on this course." in page
    assert "/staff/results/" not in page.split("<main", 1)[1]


# --- From the report sheet ------------------------------------------------------------------------


def test_certified_rows_link_their_timeline_and_show_their_points(world, client_for):
    person = world.students[0]
    result = certified(
        person,
        world.module,
        world.instance,
        examination_date=clock.today() - datetime.timedelta(days=3),
        annotations={"points": "37"},
    )
    page = client_for(world.reporter).get(
        f"/staff/results/{world.instance.public_id}/{world.module.code}/"
    )
    timeline = f"/staff/results/certify/result/{result.public_id}/timeline/"
    assert f'href="{timeline}"' in page.text
    assert "G (" in page.text
    assert "· 37 points" in page.text


def test_a_teacher_prepares_a_removal_starting_from_the_report_sheet(world, client_for):
    result = certified(world.students[0], world.module, world.instance)
    client = client_for(world.reporter)
    sheet = client.get(f"/staff/results/{world.instance.public_id}/{world.module.code}/").text
    timeline = f"/staff/results/certify/result/{result.public_id}/timeline/"
    assert timeline in sheet
    page = client.get(timeline)
    assert page.context["may_prepare"] is True
    client.post(
        f"/staff/results/certify/result/{result.public_id}/prepare-removal/",
        {"version": result.version, "reason": "Wrong student", "case_number": ""},
    )
    result.refresh_from_db()
    assert result.state == ResultState.REMOVAL_PREPARED


def test_the_examiner_may_remove_from_the_timeline_of_the_report_sheet(world, client_for):
    result = certified(world.students[0], world.module, world.instance)
    client = client_for(world.examiner)
    sheet = client.get(f"/staff/results/{world.instance.public_id}/{world.module.code}/").text
    timeline = f"/staff/results/certify/result/{result.public_id}/timeline/"
    assert timeline in sheet
    assert client.get(timeline).context["may_remove"] is True


@pytest.mark.parametrize("size", [1, 3])
def test_course_pages_cost_a_fixed_number_of_queries(size, institution, client_for):
    world = reporting_world(institution, students=1, modules=size, code="MATB11")
    for _n in range(size):
        session = ActivitySessionFactory(institution=institution, course_instances=[world.instance])
        session.modules.set(world.modules)
    client = client_for(world.examiner)
    counts = []
    for url in (
        "/staff/courses/?q=MAT",
        "/staff/courses/MATB11/",
        f"/staff/courses/MATB11/{world.instance.public_id}/",
    ):
        with count_statements() as counted:
            assert client.get(url).status_code == 200
        counts.append(counted.total)
    assert ActivitySession.objects.count() == size
    assert Result.objects.count() == 0
    assert counts == [4, 7, 11]
