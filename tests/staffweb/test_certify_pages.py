"""The examiner's Certify pages (T-CERT-1..3, B-4, T-ANON-1, B-6, T-ROLE-1): the list of
instances, an instance's ready results, un-mark and correct, the preview with its warnings, the
certify act behind one re-authentication per batch (allauth), refused whole when a result changed
since the preview, and the activity session's Certify tab with codes for examiners only."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ladokportal import clock
from registration.models import ParticipationState
from results.models import Result, ResultAction, ResultEvent, ResultState
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory, grade, register, reporting_world

pytestmark = pytest.mark.django_db

S = ResultState
BASE = "/staff/results/certify/"
REAUTH = "/accounts/reauthenticate/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def today(days: int = 0) -> datetime.date:
    return clock.today() + datetime.timedelta(days=days)


def ready(world, *, students=None, module="first", notify=None, code="G", days_ago=2, **kw):
    """Ready results for the world's students (or `students`) on a module (or the course)."""
    people = students if students is not None else world.students
    target = world.module if module == "first" else module
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=target,
        entries=[
            Entry(person=p, grade=grade(code), examination_date=today(-days_ago)) for p in people
        ],
        **kw,
    )
    drafts = list(
        Result.objects.filter(
            course_instance=world.instance, module=target, state=S.DRAFT, person__in=people
        )
    )
    return reporting.mark_ready(
        world.reporter,
        results=drafts,
        graded_by=world.reporter,
        notify=notify if notify is not None else world.examiner,
    )


def instance_url(world) -> str:
    return f"{BASE}{world.instance.public_id}/"


def review(client, world, results, **extra):
    """Press "Review" with these results chosen; the preview's URL."""
    response = client.post(
        f"{instance_url(world)}review/", {"result": [str(r.public_id) for r in results], **extra}
    )
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def hidden_pairs(html: str) -> dict:
    ids = re.findall(r'name="result" value="([0-9a-f-]+)"', html)
    versions = re.findall(r'name="version" value="(\d+)"', html)
    return {"result": ids, "version": versions}


def reauthenticate(client, next_url: str, password: str = "demo"):  # noqa: S107
    return client.post(f"{REAUTH}?next={next_url}", {"password": password})


# ------------------------------------------------------------------------------------------------
# The list and the instance page


def test_list_shows_instances_notified_to_me_by_default(institution, client_for):
    world = reporting_world(institution)
    colleague = UserFactory(username="colleague")
    StaffRoleFactory(
        user=colleague, institution=institution, role="certifier", course=world.instance.course
    )
    ready(world, students=world.students[:2])
    ready(world, students=world.students[2:], notify=colleague)
    client = client_for(world.examiner)
    page = client.get(BASE).content.decode()
    assert world.instance.course.code in page
    assert re.search(r">\s*2\s*</td>", page)  # only the two notified to me (T-CERT-3)
    everything = client.get(f"{BASE}?show=all").content.decode()
    assert re.search(r">\s*3\s*</td>", everything)
    # The colleague's students are not on my default instance page.
    mine = client.get(instance_url(world)).content.decode()
    assert world.students[0].full_name in mine
    assert world.students[2].full_name not in mine
    assert world.students[2].full_name in client.get(f"{instance_url(world)}?show=all").text


def test_instance_page_rows_and_module_filter(institution, client_for):
    world = reporting_world(institution)
    ready(world)
    ready(world, module=world.modules[1], code="U")
    client = client_for(world.examiner)
    page = client.get(instance_url(world)).content.decode()
    row = world.students[0]
    assert row.masked_identifier in page
    assert "Reporter" in page  # grading teacher and reporter
    assert page.count('name="result"') == 6
    assert "/timeline/" in page  # "History" one click away from every row
    assert page.count("/timeline/") == 6
    filtered = client.get(f"{instance_url(world)}?module={world.modules[1].code}").text
    assert filtered.count('name="result"') == 3


def test_review_shows_exactly_the_chosen_with_warnings(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    # Changed after marking ready (B-4): the grade; and a date in the future, which the
    # reporting checks refuse, so it is written straight to the row (an exam system's clock).
    reporting.correct(
        world.examiner,
        result=results[0],
        entry=Entry(
            person=results[0].person,
            grade=grade("U"),
            examination_date=results[0].examination_date,
            version=results[0].version,
        ),
    )
    Result.objects.filter(pk=results[0].pk).update(examination_date=today(3))
    # A student who withdrew from the instance.
    world.students[1].course_participations.update(state=ParticipationState.WITHDRAWN)
    client = client_for(world.examiner)
    preview = review(client, world, results[:2])
    html = client.get(preview).content.decode()
    assert world.students[0].full_name in html and world.students[1].full_name in html
    assert world.students[2].full_name not in html
    assert "after today" in html
    assert "when marked as ready; it is now U" in html
    assert "no longer registered on this course instance (withdrawn)" in html
    pairs = hidden_pairs(html)
    assert len(pairs["result"]) == 2
    assert str(results[0].public_id) in pairs["result"]
    fresh = Result.objects.get(pk=results[0].pk)
    assert str(fresh.version) in pairs["version"]


def test_failing_course_grade_is_flagged(institution, client_for):
    # The reporting checks never let a failing course grade through; the preview still says
    # so should one arrive by another way (written straight to the row here).
    world = reporting_world(institution, students=1, modules=0)
    results = [
        ResultFactory(
            course_instance=world.instance,
            person=world.students[0],
            grade=grade("U"),
            state=S.READY,
            notify=world.examiner,
        )
    ]
    client = client_for(world.examiner)
    html = client.get(review(client, world, results)).content.decode()
    assert "failing grade on the whole course" in html


def test_select_all_without_javascript(institution, client_for):
    world = reporting_world(institution)
    ready(world)
    client = client_for(world.examiner)
    response = client.post(f"{instance_url(world)}review/", {"all": "1"})
    html = client.get(response["Location"]).content.decode()
    assert len(hidden_pairs(html)["result"]) == 3


def test_review_with_nothing_chosen_says_so(institution, client_for):
    world = reporting_world(institution)
    ready(world)
    client = client_for(world.examiner)
    response = client.post(f"{instance_url(world)}review/", {}, follow=True)
    assert "Choose at least one result" in response.content.decode()


# ------------------------------------------------------------------------------------------------
# Certify with re-authentication once per batch (T-CERT-3)


def test_certify_asks_for_reauthentication_then_certifies(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    client = client_for(world.examiner)  # force_login: no authentication recorded after preview
    preview = review(client, world, results)
    pairs = hidden_pairs(client.get(preview).content.decode())
    certify_url = f"{preview}certify/"

    response = client.post(certify_url, pairs)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert not Result.objects.filter(state=S.CERTIFIED).exists()

    wrong = reauthenticate(client, certify_url, password="wrong")
    assert wrong.status_code == 200
    assert not Result.objects.filter(state=S.CERTIFIED).exists()

    done = reauthenticate(client, certify_url)
    assert done.status_code == 302
    assert done["Location"].startswith(instance_url(world))
    assert Result.objects.filter(state=S.CERTIFIED).count() == 3
    assert (
        ResultEvent.objects.filter(action=ResultAction.CERTIFIED, actor=world.examiner).count() == 3
    )
    follow = client.get(done["Location"]).content.decode()
    assert "3 results are certified" in follow

    # A second batch asks again, even right after the first.
    more = ready(world, module=world.modules[1])
    second = review(client, world, more)
    pairs = hidden_pairs(client.get(second).content.decode())
    response = client.post(f"{second}certify/", pairs)
    assert response["Location"].startswith(REAUTH)
    assert Result.objects.filter(state=S.CERTIFIED).count() == 3


def test_a_login_before_the_preview_does_not_count(institution):
    """Logging in with the plain login form records an authentication, but an older one than
    the preview: the certify POST still asks for the password."""
    from django.test import Client

    world = reporting_world(institution)
    results = ready(world)
    client = Client()
    login = client.post("/accounts/login/", {"login": world.examiner.username, "password": "demo"})
    assert login.status_code == 302 and "/accounts/login/" not in login["Location"]
    preview = review(client, world, results)
    pairs = hidden_pairs(client.get(preview).content.decode())
    response = client.post(f"{preview}certify/", pairs)
    assert response["Location"].startswith(REAUTH)
    assert reauthenticate(client, f"{preview}certify/").status_code == 302
    assert Result.objects.filter(state=S.CERTIFIED).count() == 3


def test_a_result_changed_after_the_preview_refuses_the_batch(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    client = client_for(world.examiner)
    preview = review(client, world, results)
    pairs = hidden_pairs(client.get(preview).content.decode())
    # The reporter corrects one grade meanwhile.
    reporting.correct(
        world.reporter,
        result=results[1],
        entry=Entry(
            person=results[1].person,
            grade=grade("U"),
            examination_date=results[1].examination_date,
            version=results[1].version,
        ),
    )
    certify_url = f"{preview}certify/"
    client.post(certify_url, pairs)
    response = reauthenticate(client, certify_url)
    assert response.status_code == 302
    assert not Result.objects.filter(state=S.CERTIFIED).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was certified" in page
    assert world.students[1].full_name in page


def test_tampered_batch_is_refused(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    client = client_for(world.examiner)
    preview = review(client, world, results[:1])
    pairs = hidden_pairs(client.get(preview).content.decode())
    pairs["result"].append(str(results[1].public_id))
    pairs["version"].append(str(results[1].version))
    response = client.post(f"{preview}certify/", pairs, follow=True)
    assert "differ from the review" in response.content.decode()
    assert not Result.objects.filter(state=S.CERTIFIED).exists()


@pytest.mark.parametrize("size", [5, 60])
def test_certify_post_costs_a_fixed_number_of_queries(size, institution, client_for):
    world = reporting_world(institution, students=size)
    results = ready(world)
    client = client_for(world.examiner)
    preview = review(client, world, results)
    pairs = hidden_pairs(client.get(preview).content.decode())
    certify_url = f"{preview}certify/"
    client.post(certify_url, pairs)  # suspended: asks for the password
    # Record a fresh authentication without certifying (no `next`), then certify directly.
    assert client.post(REAUTH, {"password": "demo"}).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.post(certify_url, pairs)
    assert response.status_code == 302 and not response["Location"].startswith(REAUTH)
    assert Result.objects.filter(state=S.CERTIFIED).count() == size
    assert len(queries) == CERTIFY_POST_QUERIES, [q["sql"][:120] for q in queries.captured_queries]


# Session, user, staff universities, rights, the instance, its modules, the results; then the
# service in its savepoint: lock, rights, one UPDATE, one INSERT of events, one of
# notifications; the session written in its own savepoint. Seventeen whatever the batch size.
CERTIFY_POST_QUERIES = 17


# ------------------------------------------------------------------------------------------------
# Un-mark and correct before certifying (T-CERT-1)


def test_unmark_sends_back_to_draft(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    client = client_for(world.examiner)
    r = results[0]
    response = client.post(
        f"{instance_url(world)}unmark/", {"unmark": f"{r.public_id}:{r.version}"}
    )
    assert response.status_code == 302
    assert Result.objects.get(pk=r.pk).state == S.DRAFT


def test_unmark_with_old_version_changes_nothing(institution, client_for):
    world = reporting_world(institution)
    results = ready(world)
    client = client_for(world.examiner)
    r = results[0]
    response = client.post(
        f"{instance_url(world)}unmark/", {"unmark": f"{r.public_id}:{r.version - 1}"}, follow=True
    )
    assert "Someone else changed" in response.content.decode()
    assert Result.objects.get(pk=r.pk).state == S.READY


def test_correct_grade_and_date(institution, client_for):
    world = reporting_world(institution)
    r = ready(world)[0]
    client = client_for(world.examiner)
    url = f"{instance_url(world)}results/{r.public_id}/correct/"
    form = client.get(url).content.decode()
    assert '<option value="' in form and 'for="id_grade"' in form
    response = client.post(
        url,
        {"version": r.version, "grade": grade("U").pk, "examination_date": today(-1).isoformat()},
    )
    assert response.status_code == 302
    fresh = Result.objects.get(pk=r.pk)
    assert (fresh.grade.code, fresh.examination_date, fresh.state) == ("U", today(-1), S.READY)


def test_correct_with_a_grade_outside_the_scale_is_refused(institution, client_for):
    world = reporting_world(institution)
    r = ready(world)[0]
    client = client_for(world.examiner)
    url = f"{instance_url(world)}results/{r.public_id}/correct/"
    response = client.post(
        url, {"version": r.version, "grade": grade("5", "U345").pk, "examination_date": ""}
    )
    assert response.status_code == 200
    assert Result.objects.get(pk=r.pk).grade.code == "G"


# ------------------------------------------------------------------------------------------------
# Anonymous exams (T-ANON-1, B-6)


def _anonymous(world):
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        label="TEN1",
        anonymous=True,
        course_instances=[world.instance],
    )
    for n, person in enumerate(world.students):
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-{n:03d}")
    return session


def test_session_certify_tab_shows_codes_to_examiners_only(institution, client_for):
    world = reporting_world(institution)
    session = _anonymous(world)
    ready(world, activity_session=session)
    url = f"{BASE}sessions/{session.public_id}/"
    examiner = client_for(world.examiner)
    page = examiner.get(url).content.decode()
    assert "TEN1-000" in page and world.students[0].full_name in page
    assert examiner.get(f"{url}?status=certified").content.decode().count("TEN1-0") == 0
    # The instance page links to the tab but never shows a code (B-6).
    instance_page = examiner.get(instance_url(world)).content.decode()
    assert url in instance_page and "TEN1-000" not in instance_page
    # A reporter without certifying right: 403, and no code anywhere.
    reporter = client_for(world.reporter)
    refused = reporter.get(url)
    assert refused.status_code == 403 and b"TEN1-000" not in refused.content
    timeline = reporter.get(f"{BASE}result/{Result.objects.first().public_id}/timeline/")
    assert timeline.status_code == 200 and b"TEN1-0" not in timeline.content


def test_session_tab_filtered_on_certified(institution, client_for):
    world = reporting_world(institution, students=2)
    session = _anonymous(world)
    results = ready(world, activity_session=session)
    certifying.certify(world.examiner, results=results)
    page = client_for(world.examiner).get(f"{BASE}sessions/{session.public_id}/?status=certified")
    assert b"TEN1-001" in page.content


# ------------------------------------------------------------------------------------------------
# Rights (T-ROLE-1): by hand-typed URL and POST


def _urls(world, result, session):
    instance = instance_url(world)
    return [
        ("get", BASE),
        ("get", instance),
        ("post", f"{instance}review/"),
        ("post", f"{instance}unmark/"),
        ("get", f"{instance}results/{result.public_id}/correct/"),
        ("get", f"{BASE}sessions/{session.public_id}/"),
        ("get", f"{instance}review/{'a' * 32}/"),
        ("post", f"{instance}review/{'a' * 32}/certify/"),
        ("get", f"{BASE}removals/"),
    ]


def test_reporter_student_and_outsider_are_refused(institution, client_for):
    world = reporting_world(institution)
    session = _anonymous(world)
    result = ready(world, activity_session=session)[0]
    student = UserFactory(username="stud", person=world.students[0])
    for user, expected in ((world.reporter, 403), (world.outsider, 403), (student, 403)):
        client = client_for(user)
        for method, url in _urls(world, result, session):
            if user is world.outsider and url in (BASE, f"{BASE}removals/"):
                continue  # an examiner elsewhere has the list pages, with nothing of this course
            response = getattr(client, method)(url, {"all": "1", "unmark": f"{result.public_id}:1"})
            assert response.status_code == expected, (user.username, url, response.status_code)
    assert Result.objects.filter(state=S.READY).count() == 3


def test_nobody_is_sent_to_log_in(institution, client):
    world = reporting_world(institution)
    session = _anonymous(world)
    result = ready(world)[0]
    for method, url in _urls(world, result, session):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_universitys_pages_are_not_found(institution, other_institution, client_for):
    world = reporting_world(institution)
    result = ready(world)[0]
    session = _anonymous(world)
    theirs = reporting_world(other_institution)
    client = client_for(theirs.examiner)
    for method, url in _urls(world, result, session)[1:8]:
        response = getattr(client, method)(url)
        assert response.status_code == 404, (url, response.status_code)
    assert client.get(f"{BASE}result/{result.public_id}/timeline/").status_code == 404


def test_outsider_sees_nothing_of_this_course_in_lists(institution, client_for):
    world = reporting_world(institution)
    ready(world)
    page = client_for(world.outsider).get(f"{BASE}?show=all").content.decode()
    assert world.instance.course.code not in page


# ------------------------------------------------------------------------------------------------
# Fixed queries on the pages


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "instance", "preview", "session"])
def test_pages_cost_the_same_at_two_sizes(page, institution, other_institution, client_for):
    counts = []
    for inst, size in ((institution, 3), (other_institution, 40)):
        world = reporting_world(inst, students=size)
        session = _anonymous(world)
        results = ready(world, activity_session=session)
        ready(world, module=world.modules[1], activity_session=session)
        client = client_for(world.examiner)
        url = {
            "list": BASE,
            "instance": instance_url(world),
            "preview": None,
            "session": f"{BASE}sessions/{session.public_id}/",
        }[page] or review(client, world, results)
        counts.append(_count(client, url))
    assert counts[0] == counts[1]


def test_people_without_identity_number_are_shown(institution, client_for):
    world = reporting_world(institution, students=0)
    kim = PersonFactory(identity_number=None, local_number="K1")
    register(kim, world.instance)
    ready(world, students=[kim])
    page = client_for(world.examiner).get(instance_url(world)).content.decode()
    assert kim.full_name in page and "K1" not in page  # masked
