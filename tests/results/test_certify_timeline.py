"""A result's timeline and its removal in the staff web (T-CERT-2, B-3, T-REM-1, T-ROLE-1):
every event with who, when, source, grade and date before and after; preparing, withdrawing and
removing with the reason rules and the course-grade block; the list of prepared removals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ladokportal import clock
from results.models import Result, ResultAction, ResultEvent, ResultState
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.factories import UserFactory
from tests.factories.results import grade, reporting_world

pytestmark = pytest.mark.django_db

S = ResultState
BASE = "/staff/results/certify/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def day(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def certified(world, *, module="first", students=None, when=-2):
    target = world.module if module == "first" else module
    people = students or world.students
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=target,
        entries=[Entry(person=p, grade=grade("G"), examination_date=day(when)) for p in people],
    )
    drafts = list(
        Result.objects.filter(
            course_instance=world.instance, module=target, state=S.DRAFT, person__in=people
        )
    )
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    return certifying.certify(world.examiner, results=ready)


def timeline_url(result) -> str:
    return f"{BASE}result/{result.public_id}/timeline/"


def test_timeline_lists_every_event(institution, client_for):
    world = reporting_world(institution, students=1)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=world.students[0], grade=grade("U"), examination_date=day(-5))],
    )
    draft = Result.objects.get()
    reporting.correct(
        world.reporter,
        result=draft,
        entry=Entry(
            person=draft.person, grade=grade("G"), examination_date=day(-4), version=draft.version
        ),
    )
    draft.refresh_from_db()
    ready = reporting.mark_ready(
        world.reporter, results=[draft], graded_by=world.reporter, notify=world.examiner
    )
    certifying.certify(world.examiner, results=ready)
    page = client_for(world.reporter).get(timeline_url(draft)).content.decode()
    for label in ("Reported", "Changed", "Marked as ready", "Certified"):
        assert f">{label}</th>" in page, label
    assert "U → G" in page
    assert f"{day(-5).isoformat()} → {day(-4).isoformat()}" in page
    assert "Reporting page" in page  # the source
    assert world.examiner.get_full_name() in page and world.reporter.get_full_name() in page


@pytest.mark.parametrize("who", ["reporter", "examiner", "study_admin"])
def test_timeline_visible_with_reporting_or_certifying_right(who, institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    assert client_for(getattr(world, who)).get(timeline_url(result)).status_code == 200


def test_timeline_refused_outside_the_rights(institution, other_institution, client_for, client):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    outsider = client_for(world.outsider)
    assert outsider.get(timeline_url(result)).status_code == 403
    for action in ("prepare-removal", "withdraw-removal", "remove"):
        url = f"{BASE}result/{result.public_id}/{action}/"
        response = outsider.post(url, {"version": result.version, "reason": "x"})
        assert response.status_code == 403, action
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED
    student = UserFactory(username="stud", person=world.students[0])
    assert client_for(student).get(timeline_url(result)).status_code == 403
    theirs = reporting_world(other_institution, students=1)
    assert client_for(theirs.examiner).get(timeline_url(result)).status_code == 404
    response = client.get(timeline_url(result))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_timeline_costs_the_same_with_few_and_many_events(institution, client_for):
    world = reporting_world(institution, students=2)
    results = certified(world)
    for _ in range(8):  # many events on the second result
        r = Result.objects.get(pk=results[1].pk)
        removal.prepare_removal(world.reporter, result=r, reason="Case 1")
        removal.withdraw_removal(world.reporter, result=Result.objects.get(pk=r.pk))
    client = client_for(world.examiner)
    counts = []
    for r in results:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(timeline_url(r)).status_code == 200
        counts.append(len(queries))
    assert ResultEvent.objects.filter(result=results[1]).count() > 15
    assert counts[0] == counts[1]


def test_prepare_and_withdraw_removal(institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    client = client_for(world.reporter)
    url = f"{BASE}result/{result.public_id}/"
    empty = client.post(f"{url}prepare-removal/", {"version": result.version, "reason": " "})
    assert empty.status_code == 400
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED
    response = client.post(
        f"{url}prepare-removal/", {"version": result.version, "reason": "Dnr 2025-123"}
    )
    assert response.status_code == 302
    prepared = Result.objects.get(pk=result.pk)
    assert (prepared.state, prepared.removal_reason) == (S.REMOVAL_PREPARED, "Dnr 2025-123")
    page = client.get(timeline_url(result)).content.decode()
    assert "Dnr 2025-123" in page and "Withdraw prepared removal" in page
    client.post(f"{url}withdraw-removal/", {"version": prepared.version})
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED


def test_only_the_examiner_removes(institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    url = f"{BASE}result/{result.public_id}/remove/"
    reporter = client_for(world.reporter)
    assert reporter.get(url).status_code == 403
    assert reporter.post(url, {"version": result.version, "reason": "x"}).status_code == 403
    assert "/remove/" not in reporter.get(timeline_url(result)).content.decode()
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED


def test_examiner_removes_after_confirmation(institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    client = client_for(world.examiner)
    url = f"{BASE}result/{result.public_id}/remove/"
    confirm = client.get(url).content.decode()
    assert "stays in the history" in confirm and 'for="id_reason"' in confirm
    no_reason = client.post(url, {"version": result.version, "reason": ""})
    assert no_reason.status_code == 400
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED
    done = client.post(url, {"version": result.version, "reason": "Cheating, dnr 7"})
    assert done.status_code == 302
    removed = Result.objects.get(pk=result.pk)
    assert (removed.state, removed.removed_by) == (S.REMOVED, world.examiner)
    assert ResultEvent.objects.filter(result=result, action=ResultAction.REMOVED).exists()


def test_a_prepared_removal_needs_no_new_reason(institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    removal.prepare_removal(world.reporter, result=result, reason="Dnr 9")
    prepared = Result.objects.get(pk=result.pk)
    client = client_for(world.examiner)
    listing = client.get(f"{BASE}removals/").content.decode()
    assert world.students[0].full_name in listing and "Dnr 9" in listing
    assert (
        world.students[0].full_name not in client_for(world.outsider).get(f"{BASE}removals/").text
    )
    response = client.post(
        f"{BASE}result/{result.public_id}/remove/", {"version": prepared.version, "reason": ""}
    )
    assert response.status_code == 302
    removed = Result.objects.get(pk=result.pk)
    assert (removed.state, removed.removal_reason) == (S.REMOVED, "Dnr 9")


def test_removal_blocked_by_a_course_grade_is_explained(institution, client_for):
    world = reporting_world(institution, students=1, modules=1)
    module_result = certified(world, when=-3)[0]
    certified(world, module=None, when=-3)
    client = client_for(world.examiner)
    response = client.post(
        f"{BASE}result/{module_result.public_id}/remove/",
        {"version": Result.objects.get(pk=module_result.pk).version, "reason": "Dnr 1"},
    )
    assert response.status_code == 400
    assert "course grade must be removed first" in response.content.decode()
    assert Result.objects.get(pk=module_result.pk).state == S.CERTIFIED


def test_a_stale_version_removes_nothing(institution, client_for):
    world = reporting_world(institution, students=1)
    result = certified(world)[0]
    response = client_for(world.examiner).post(
        f"{BASE}result/{result.public_id}/remove/",
        {"version": result.version - 1, "reason": "Dnr 1"},
    )
    assert response.status_code == 400
    assert "Someone else changed" in response.content.decode()
    assert Result.objects.get(pk=result.pk).state == S.CERTIFIED
