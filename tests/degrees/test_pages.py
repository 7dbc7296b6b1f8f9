"""The degree pages (S-DEG-1..5, S-AUTH-2): the application step by step without JavaScript, the
student's and the officer's pages, re-authentication before issuing, internal notes never on a
student page, every new URL tried as the wrong people, and the shared-degree page."""

import re

import pytest
from django.test import Client
from django.utils import translation

from degrees import services, sharing
from degrees.models import CaseState, DegreeCase
from people.identity import display
from people.models import StaffRoleKind
from tests.factories import LocalTextFactory, PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.degrees import apply, completed_course, graduate, officer, settings_of

pytestmark = pytest.mark.django_db

NOTE = "Internal: check the thesis grade with the department"
REAUTH = "/accounts/reauthenticate/"


@pytest.fixture
def world(institution):
    settings_of(institution)
    for n in (1, 2, 3):
        LocalTextFactory(
            institution=institution,
            slot=f"degree.step{n}",
            body_sv=f"<p>Lokal text steg {n}</p>",
            body_en=f"<p>Local text step {n}</p>",
        )
    person, user, kind = graduate(institution)
    return person, user, kind


def english(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_application_step_by_step_without_javascript(world, institution):
    _person, user, kind = world
    client = english(user)
    assert "Degrees and certificates" in client.get("/degrees/").text
    step1 = client.get("/degrees/apply/")
    assert "Local text step 1" in step1.text
    response = client.post("/degrees/apply/", {"kind": str(kind.public_id)})
    assert response["Location"] == "/degrees/apply/courses/"
    step2 = client.get("/degrees/apply/courses/").text
    assert "Local text step 2" in step2
    assert "The chosen courses meet every requirement." in step2
    ids = re.findall(r'name="courses" value="(\d+)"', step2)
    assert len(ids) == 3
    # Checking with fewer courses shows what is missing, and keeps the draft.
    mathk = str(DegreeCase._meta.apps.get_model("catalog", "Course").objects.get(code="MATK11").pk)
    fewer = client.post(
        "/degrees/apply/courses/", {"courses": [i for i in ids if i != mathk], "check": "1"}
    )
    assert fewer.status_code == 200
    assert "no independent project in Mathematics" in fewer.text
    assert "7.5 credits more in total" in fewer.text
    response = client.post("/degrees/apply/courses/", {"courses": ids, "next": "1"})
    assert response["Location"] == "/degrees/apply/delivery/"
    assert "Local text step 3" in client.get("/degrees/apply/delivery/").text
    response = client.post("/degrees/apply/delivery/", {"delivery": "digital"})
    assert response["Location"] == "/degrees/apply/confirm/"
    confirm = client.get("/degrees/apply/confirm/").text
    assert "Degree of Bachelor of Science" in confirm
    sent = client.post("/degrees/apply/confirm/")
    case = DegreeCase.objects.get()
    assert sent["Location"] == f"/degrees/cases/{case.public_id}/"
    assert case.state == CaseState.SUBMITTED
    assert case.courses.count() == 3
    # The draft is gone: the application starts again from the first step.
    assert client.get("/degrees/apply/confirm/")["Location"] == "/degrees/apply/"


def test_step_two_refuses_no_courses_and_courses_not_offered(world, institution, other_institution):
    _person, user, kind = world
    client = english(user)
    client.post("/degrees/apply/", {"kind": str(kind.public_id)})
    empty = client.post("/degrees/apply/courses/", {"next": "1"})
    assert empty.status_code == 400
    assert "Choose at least one course for the degree to rest on." in empty.text
    foreign = client.post("/degrees/apply/courses/", {"courses": ["999999"], "next": "1"})
    assert foreign.status_code == 400
    assert client.get("/degrees/apply/delivery/")["Location"] == "/degrees/apply/"
    assert DegreeCase.objects.count() == 0


def _case_with_note(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    services.add_note(handler, case, NOTE)
    return case, handler


def test_internal_notes_never_on_student_pages(world, institution):
    person, user, _kind = world
    case, handler = _case_with_note(world, institution)
    client = english(user)
    pages = ["/degrees/", f"/degrees/cases/{case.public_id}/"]
    degree = services.issue(handler, case)
    share = sharing.create_share(user, degree)
    pages.append(f"/degrees/{degree.public_id}/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert NOTE not in response.text
    shared = Client().post(
        "/shared/", {"code": share.display_code, "identity_number": display(person.identity_number)}
    )
    assert shared.status_code == 200
    assert "Degree of Bachelor of Science" in shared.text
    assert NOTE not in shared.text
    staff = english(handler).get(f"/staff/degrees/{case.public_id}/")
    assert NOTE in staff.text


def test_issued_case_leaves_the_list_and_the_degree_appears(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    client = english(user)
    assert case.number in client.get("/degrees/").text
    degree = services.issue(officer(institution), case)
    home = client.get("/degrees/").text
    assert case.number not in home
    assert f"/degrees/{degree.public_id}/" in home


def test_issue_asks_for_reauthentication(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    client = english(handler)
    page = f"/staff/degrees/{case.public_id}/"
    assert client.get(page).status_code == 200
    response = client.post(f"{page}issue/")
    assert response["Location"].startswith(REAUTH)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    done = client.post(f"{REAUTH}?next={page}issue/", {"password": "demo"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ISSUED


def test_refuse_shows_reason_and_appeal_to_the_student(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    english(handler).post(
        f"/staff/degrees/{case.public_id}/refuse/", {"reason": "The thesis is not approved."}
    )
    page = english(user).get(f"/degrees/cases/{case.public_id}/").text
    assert "The thesis is not approved." in page
    assert "How to appeal" in page


# --- Rights: every new URL as the wrong people ---------------------------------------------------


def _student_urls(case, degree, share):
    d = f"/degrees/{degree.public_id}/"
    return [
        ("get", f"/degrees/cases/{case.public_id}/"),
        ("get", d),
        ("get", f"{d}document.pdf"),
        ("post", f"{d}shares/"),
        ("post", f"{d}shares/{share.public_id}/revoke/"),
    ]


def _staff_urls(case):
    c = f"/staff/degrees/{case.public_id}/"
    return [
        ("get", "/staff/degrees/"),
        ("get", c),
        ("post", f"{c}take/"),
        ("post", f"{c}notes/"),
        ("post", f"{c}issue/"),
        ("post", f"{c}refuse/"),
        ("post", f"{c}withdraw/"),
    ]


@pytest.fixture
def decided(world, institution):
    person, user, kind = world
    first = apply(user, person, institution, kind)
    degree = services.issue(officer(institution), first)
    share = sharing.create_share(user, degree)
    return first, degree, share


def test_student_urls_refuse_another_student_and_nobody(decided, institution):
    case, degree, share = decided
    other = PersonFactory()
    completed_course(other, institution, code="OTHER1")
    stranger = english(UserFactory(person=other))
    for method, url in _student_urls(case, degree, share):
        assert getattr(stranger, method)(url).status_code == 404, url
        anonymous = getattr(Client(), method)(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith("/accounts/login/")
    assert sharing.look_up(share.code, degree.person.identity_number) is not None


@pytest.mark.parametrize("who", ["student", "teacher", "other_university", "nobody"])
def test_staff_urls_refuse_the_wrong_people(decided, institution, other_institution, who):
    case, degree, _share = decided
    if who == "student":
        client, expected = english(degree.person.user), 403
    elif who == "teacher":
        teacher = StaffRoleFactory(institution=institution, role=StaffRoleKind.CERTIFIER).user
        client, expected = english(teacher), 403
    elif who == "other_university":
        client, expected = english(officer(other_institution)), 404
    else:
        client, expected = Client(), 302
    for method, url in _staff_urls(case):
        status = getattr(client, method)(url).status_code
        if who == "other_university" and url == "/staff/degrees/":
            assert status == 200  # their own university's queue, without this case
        else:
            assert status == expected, (url, status)
    case.refresh_from_db()
    assert case.state == CaseState.ISSUED
    assert case.notes.count() == 0
    assert not degree.__class__.objects.get(pk=degree.pk).withdrawn


def test_other_universitys_queue_does_not_list_the_case(decided, other_institution):
    case, _degree, _share = decided
    assert case.number not in english(officer(other_institution)).get("/staff/degrees/").text


# --- Alumni mode (S-AUTH-2) ----------------------------------------------------------------------


def test_alumni_session_reaches_only_the_listed_pages(decided, institution):
    case, degree, _share = decided
    client = english(degree.person.user)
    session = client.session
    session["portal_mode"] = "alumni"
    session.save()
    for url in [
        "/alumni/",
        "/my-details/",
        "/certificates/",
        "/degrees/",
        "/degrees/apply/",
        f"/degrees/{degree.public_id}/",
        f"/degrees/cases/{case.public_id}/",
    ]:
        assert client.get(url).status_code == 200, url
    for url in ["/start/", "/education/", "/exams/", "/staff/"]:
        assert client.get(url).status_code == 404, url


def test_a_graduate_logs_in_to_alumni_mode(decided, world):
    _person, user, _kind = world  # every participation completed, and a degree issued
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"login": user.username, "password": "demo"})
    assert response.status_code == 302
    assert client.session["portal_mode"] == "alumni"
    assert client.get("/start/").status_code == 404
    assert client.get("/degrees/").status_code == 200


def test_a_student_who_has_completed_every_course_so_far_is_still_a_student(world):
    # Between terms a student may have nothing going on; without a degree they are no alumnus.
    _person, user, _kind = world
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"login": user.username, "password": "demo"})
    assert client.session.get("portal_mode") != "alumni"
    assert client.get("/start/").status_code == 200


# --- The shared degree (S-DEG-5) -----------------------------------------------------------------


def _without_tokens(html: str) -> str:
    """The page without what differs per request (CSRF tokens, the typed values)."""
    html = re.sub(r'value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_shared_page_answers_wrong_number_like_unknown_code(decided):
    _case, degree, share = decided
    number = display(degree.person.identity_number)
    other = display(PersonFactory().identity_number)
    with translation.override("en"):
        right = Client().post("/shared/", {"code": share.display_code, "identity_number": number})
        wrong = Client().post("/shared/", {"code": share.display_code, "identity_number": other})
        from certificates import codes

        unknown = Client().post("/shared/", {"code": codes.new_code(), "identity_number": number})
        malformed = Client().post("/shared/", {"code": "ABC", "identity_number": "123"})
    assert right.status_code == 200
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert _without_tokens(wrong.text) == _without_tokens(unknown.text)
    assert malformed.status_code == 400
    assert "This is not a valid code" in malformed.text
    sharing.revoke_share(degree.person.user, share)
    again = Client().post("/shared/", {"code": share.display_code, "identity_number": number})
    assert again.status_code == 404


def test_shared_page_is_rate_limited(decided, settings):
    settings.VERIFY_RATE = "3/m"
    _case, _degree, share = decided
    statuses = [
        Client()
        .post("/shared/", {"code": share.code, "identity_number": "19900101-0017"})
        .status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429
