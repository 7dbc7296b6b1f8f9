"""The staff exam-session pages in the browser (issue #4, T-ADM-3, T-ANON-1), in Swedish and in
English, at laptop width and at 360 px (G-2: staff pages degrade gracefully on a phone): the
list with deadlines, a session's detail, adding a participant by identity number, the code key
behind a recorded reason, and the create form with its errors. Axe clean, no sideways scroll."""

from playwright.sync_api import Page

from exams.models import CodeListing, Signup
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    LOCALES,
    Journey,
    check_page,
    journey_fixture,
)
from tests.factories.exams import ActivitySessionFactory


def _session(journey: Journey):
    return ActivitySessionFactory(
        institution=journey.institution,
        label="TEN1",
        anonymous=True,
        course_instances=[journey.registered.course_instance],
    )


@LOCALES
def test_study_administrator_runs_a_session(new_page, live_server, journey, locale) -> None:
    session = _session(journey)
    page: Page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, "siv")

    open_page(page, f"{live_server.url}/staff/exams/")
    assert page.locator(f"a[href='/staff/exams/{session.public_id}/']").count() == 1
    check_page(page, with_menu=True)

    detail = f"/staff/exams/{session.public_id}/"
    open_page(page, f"{live_server.url}{detail}")
    check_page(page)
    number = journey.person.identity_number
    add = page.locator(f"form[action='{detail}participants/']")
    add.locator("input[name='number']").fill(f"{number[:8]}-{number[8:]}")
    submit(page, f"form[action='{detail}participants/'] button[type='submit']")
    signup = Signup.objects.get(session=session, person=journey.person)
    # B-6: the detail page names the participant but never shows the code.
    assert signup.anonymisation_code not in page.content()
    check_page(page)

    page.locator("details.action summary").last.click()
    codes = page.locator(f"form[action='{detail}codes/']")
    codes.locator("[name='reason']").fill("Two exam papers were swapped in the hall")
    submit(page, f"form[action='{detail}codes/'] button[type='submit']")
    assert signup.anonymisation_code in page.content()
    assert CodeListing.objects.filter(session=session).count() == 1
    check_page(page)

    open_page(page, f"{live_server.url}/staff/exams/new/")
    check_page(page)
    submit(page, "form.session-form button[type='submit']")
    assert page.locator(".alert--error").count() >= 1
    check_page(page)


@LOCALES
def test_staff_exam_pages_on_a_phone(new_page, live_server, journey, locale) -> None:
    session = _session(journey)
    page: Page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, "siv")
    for path in ("/staff/exams/", f"/staff/exams/{session.public_id}/", "/staff/exams/new/"):
        open_page(page, f"{live_server.url}{path}")
        check_page(page)
