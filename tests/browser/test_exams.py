"""S-EXAM-1..3 in the browser at 360 px, both languages, axe clean: filter, expand a card,
sign up, cancel (in place with htmx, and as whole pages without JavaScript)."""

import pytest
from playwright.sync_api import Page

from exams.models import Signup
from registration.models import ParticipationState
from tests.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    login,
    open_page,
    submit,
)
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory


@pytest.fixture
def exam(institution, world):
    person = PersonFactory(first_name="Maja", last_name="Ek")
    instance = enrol(person, institution, state=ParticipationState.REGISTERED).course_instance
    UserFactory(username="maja", person=person)
    session = ActivitySessionFactory(
        institution=institution,
        course_instances=[instance],
        name_sv="Tentamen i algebra",
        name_en="Algebra exam",
        anonymous=True,
        link="https://exam.example.se/a-very-long-link/that-might-push/the-page-sideways-on-a-phone",
    )
    return person, session


@pytest.mark.parametrize("locale", ["sv-SE", "en-US"], ids=["sv", "en"])
def test_sign_up_and_cancel_in_place(page: Page, live_server, exam, locale) -> None:
    person, session = exam
    login(page, live_server, "maja")
    open_page(page, f"{live_server.url}/exams/")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    card = page.locator(f"#exam-{session.public_id}")
    card.locator("form[action$='/sign-up/'] button").click()
    page.wait_for_selector(f"#exam-{session.public_id} .alert--success")
    code = Signup.objects.get(person=person).anonymisation_code
    card = page.locator(f"#exam-{session.public_id}")
    assert card.locator(".exam-card__code").inner_text() == code
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    open_page(page, f"{live_server.url}/exams/{session.public_id}/cancel/")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    open_page(page, f"{live_server.url}/exams/{session.public_id}/")
    assert_no_axe_violations(page)
    open_page(page, f"{live_server.url}/exams/?show=signed_up")
    card = page.locator(f"#exam-{session.public_id}")
    card.locator("summary").click()
    card.locator(".exam-card__cancel a").click()
    page.wait_for_selector(".exam-confirm form")
    assert_no_axe_violations(page)
    page.locator(".exam-confirm form button").click()
    page.wait_for_selector(f"#exam-{session.public_id} form[action$='/sign-up/']")
    assert Signup.objects.get(person=person).cancelled_at is not None
    open_page(page, f"{live_server.url}/exams/?show=past")
    assert_no_axe_violations(page)
    submit(page, "form[action$='/exams/calendar/'] button")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    open_page(page, f"{live_server.url}/start/")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_without_javascript(new_page, live_server, exam) -> None:
    person, session = exam
    page = new_page(java_script_enabled=False)
    login(page, live_server, "maja")
    open_page(page, f"{live_server.url}/exams/")
    submit(page, f"#exam-{session.public_id} form[action$='/sign-up/'] button")
    assert page.url == f"{live_server.url}/exams/?show=not_signed_up"
    page.locator("a[href='/exams/?show=signed_up']").click()
    page.wait_for_load_state("load")
    page.locator(f"#exam-{session.public_id} summary").click()
    page.locator(".exam-card__cancel a").click()
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll(page)
    submit(page, ".exam-confirm form button")
    assert page.url == f"{live_server.url}/exams/?show=signed_up"
    assert Signup.objects.get(person=person).cancelled_at is not None
    submit(page, "form[action$='/exams/calendar/'] button")
    assert_no_horizontal_scroll(page)
