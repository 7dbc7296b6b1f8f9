"""The credit-transfer pages (S-CRED-1..3, T-ADM-2): the student's application in four steps
without JavaScript, the cases list and case page, the case officer's queue, case page and
decision with re-authentication; every URL as the right person, the wrong person, another
university's staff and nobody; internal notes on no student page; fixed query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from credits import services
from credits.models import CaseStatus, Outcome
from results.models import ResultSource
from tests.factories import LocalTextFactory, StaffRoleFactory
from tests.factories.credits import PDF, credit_world, items_of, officer_at, submitted_case, upload
from tests.factories.results import grade

pytestmark = pytest.mark.django_db

REAUTH = "/accounts/reauthenticate/"
NOTE = "Secret internal remark about the syllabus"


@pytest.fixture
def world(institution, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    for n, slot in enumerate(("credit.step1", "credit.step2", "credit.step3"), 1):
        LocalTextFactory(
            institution=institution, slot=slot, body_en=f"<p>Step text {n}</p>", body_sv=""
        )
    world = credit_world(institution)
    world.student.set_password("demo")
    world.student.save()
    world.officer.set_password("demo")
    world.officer.save()
    return world


def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_student_applies_in_four_steps_without_javascript(world, client_for):
    client = en(client_for(world.student))
    first = client.get("/credits/apply/")
    assert "Step text 1" in first.content.decode()
    added = client.post(
        "/credits/apply/",
        {
            "kind": "education",
            "course_name": "Lineare Algebra",
            "university": "Universität Wien",
            "country": "Austria",
            "credits": "7.5",
            "credit_system": "ects",
            "grade_text": "1",
        },
    )
    assert added.status_code == 302
    targets = client.get("/credits/apply/targets/")
    page = targets.content.decode()
    assert "Step text 2" in page
    (item,) = items_of(world.person.credit_cases.get())
    field = f"target-{item.public_id}"
    assert (
        client.post(
            "/credits/apply/targets/",
            {field: f"m{world.modules[0].pk}", f"scope-{item.public_id}": "whole"},
        )["Location"]
        == "/credits/apply/attachments/"
    )
    attachments = client.get("/credits/apply/attachments/")
    assert "Step text 3" in attachments.content.decode()
    assert (
        client.post("/credits/apply/attachments/", {"file": upload("betyg.pdf", PDF)}).status_code
        == 302
    )
    refused = client.post("/credits/apply/attachments/", {"file": upload("b.png", PDF)})
    assert refused.status_code == 400
    assert "b.png is a PDF file but its name says otherwise" in refused.content.decode()
    confirm = client.get("/credits/apply/confirm/")
    assert "betyg.pdf" in confirm.content.decode()
    submitted = client.post("/credits/apply/confirm/")
    case = world.person.credit_cases.get()
    assert submitted["Location"] == f"/credits/{case.public_id}/"
    assert case.status == CaseStatus.SUBMITTED
    listing = client.get("/credits/").content.decode()
    assert case.number in listing
    assert client.get(f"/credits/{case.public_id}/").status_code == 200
    attachment = case.attachments.get()
    opened = client.get(f"/credits/attachments/{attachment.public_id}/")
    assert (opened.status_code, opened["Content-Type"], opened.content) == (
        200,
        "application/pdf",
        PDF,
    )


def test_officer_decides_after_reauthentication_and_the_student_sees_it(world, client_for):
    case = submitted_case(world)
    first, second = items_of(case)
    services.add_note(world.officer, case=case, text=NOTE)
    officer = en(client_for(world.officer))
    queue = officer.get("/staff/credits/").content.decode()
    assert case.number in queue
    page = officer.get(f"/staff/credits/{case.public_id}/").content.decode()
    assert NOTE in page
    url = f"/staff/credits/{case.public_id}/items/{first.public_id}/decide/"
    asked = officer.post(url, {"outcome": "credited", "grade": grade("G").pk})
    assert asked["Location"].startswith(REAUTH)
    done = officer.post(f"{REAUTH}?next={url}", {"password": "demo"})
    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.outcome, first.result.source) == (Outcome.CREDITED, ResultSource.CREDIT)
    officer.get(f"/staff/credits/{case.public_id}/")
    url2 = f"/staff/credits/{case.public_id}/items/{second.public_id}/decide/"
    officer.post(url2, {"outcome": "refused", "refusal_reason": "Other content."})
    officer.post(f"{REAUTH}?next={url2}", {"password": "demo"})
    second.refresh_from_db()
    assert second.outcome == Outcome.REFUSED

    student = en(client_for(world.student))
    mine = student.get(f"/credits/{case.public_id}/").content.decode()
    assert "Other content." in mine
    assert "You may appeal" in mine
    course_page = student.get(
        reverse("course_page", args=[world.person.course_participations.get().public_id])
    ).content.decode()
    assert f"/credits/{case.public_id}/#decision-{first.public_id}" in course_page
    education = student.get("/education/").content.decode()
    assert re.search(r"Of which credited</dt><dd>7.5 credits", education)
    for page in (mine, course_page, education, student.get("/credits/").content.decode()):
        assert NOTE not in page


def test_a_bad_decision_is_shown_on_the_page(world, client_for):
    case = submitted_case(world, items=1)
    (item,) = items_of(case)
    officer = client_for(world.officer)
    officer.get(f"/staff/credits/{case.public_id}/")
    response = officer.post(
        f"/staff/credits/{case.public_id}/items/{item.public_id}/decide/", {"outcome": "x"}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.outcome == ""


# --- Rights: every URL as the wrong person, another university's staff, nobody -------------------


def student_urls(case, attachment):
    return [
        f"/credits/{case.public_id}/",
        f"/credits/attachments/{attachment.public_id}/",
    ]


def staff_urls(case, attachment):
    return [
        f"/staff/credits/{case.public_id}/",
        f"/staff/credits/attachments/{attachment.public_id}/",
    ]


@pytest.fixture
def case_with_attachment(world):
    draft = services.start_draft(world.person, institution=world.instance.institution)
    services.add_attachment(world.person, case=draft, upload=upload("betyg.pdf", PDF))
    services.save_item(
        world.person,
        case=draft,
        kind="education",
        target_course=world.course,
        target_module=None,
        course_name="X",
        university="Y",
    )
    case = services.submit(world.person, case=draft)
    return case, case.attachments.get()


def test_another_student_gets_404(world, institution, client_for, case_with_attachment):
    case, attachment = case_with_attachment
    other = credit_world(institution, suffix="2", username="carl")
    client = client_for(other.student)
    assert [client.get(u).status_code for u in student_urls(case, attachment)] == [404, 404]
    item = items_of(case)[0]
    assert client.post(f"/credits/apply/items/{item.public_id}/remove/").status_code == 404
    assert (
        client.post(f"/credits/apply/attachments/{attachment.public_id}/remove/").status_code == 404
    )


def test_other_universitys_staff_get_404(
    world, other_institution, client_for, case_with_attachment
):
    case, attachment = case_with_attachment
    stranger = officer_at(other_institution, "olle")
    client = client_for(stranger)
    assert [client.get(u).status_code for u in staff_urls(case, attachment)] == [404, 404]
    item = items_of(case)[0]
    for url in (
        f"/staff/credits/{case.public_id}/take/",
        f"/staff/credits/{case.public_id}/notes/",
        f"/staff/credits/{case.public_id}/items/{item.public_id}/decide/",
    ):
        assert client.post(url, {"text": "x", "outcome": "refused"}).status_code == 404
    assert case.notes.count() == 0


def test_staff_without_the_role_get_403(world, institution, client_for, case_with_attachment):
    case, attachment = case_with_attachment
    from tests.factories import UserFactory

    admin = UserFactory(username="sara")
    StaffRoleFactory(user=admin, institution=institution, role="study_admin")
    client = client_for(admin)
    urls = ["/staff/credits/", *staff_urls(case, attachment)]
    assert [client.get(u).status_code for u in urls] == [403, 403, 403]


def test_the_student_gets_no_staff_page(world, client_for, case_with_attachment):
    case, attachment = case_with_attachment
    client = client_for(world.student)
    assert [client.get(u).status_code for u in staff_urls(case, attachment)] == [403, 403]


def test_nobody_is_sent_to_log_in(world, client, case_with_attachment):
    case, attachment = case_with_attachment
    urls = [
        "/credits/",
        "/credits/apply/",
        *student_urls(case, attachment),
        "/staff/credits/",
        *staff_urls(case, attachment),
    ]
    assert {client.get(u).status_code for u in urls} == {302}
    assert all("/accounts/login/" in client.get(u)["Location"] for u in urls)


# --- Query counts at two data sizes --------------------------------------------------------------


def make_cases(world, n):
    cases = [submitted_case(world) for _ in range(n)]
    for case in cases:
        services.add_note(world.officer, case=case, text=NOTE)
        services.decide_item(
            world.officer,
            item=items_of(case)[0],
            outcome=Outcome.CREDITED,
            grade=grade("G"),
            credited_credits=Decimal(3),
        )
    return cases


@pytest.mark.parametrize("size", [1, 3])
def test_student_pages_query_counts(world, client_for, django_assert_num_queries, size):
    cases = make_cases(world, size)
    client = client_for(world.student)
    client.get("/credits/")
    with django_assert_num_queries(6):
        client.get("/credits/")
    with django_assert_num_queries(7):
        client.get(f"/credits/{cases[-1].public_id}/")
    with django_assert_num_queries(6):
        client.get("/credits/apply/")
    with django_assert_num_queries(8):
        client.get("/education/")


@pytest.mark.parametrize("size", [1, 3])
def test_staff_pages_query_counts(world, client_for, django_assert_num_queries, size):
    cases = make_cases(world, size)
    client = client_for(world.officer)
    client.get("/staff/credits/")
    with django_assert_num_queries(5):
        client.get("/staff/credits/?show=all")
    with django_assert_num_queries(15):
        client.get(f"/staff/credits/{cases[-1].public_id}/")
