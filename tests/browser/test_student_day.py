"""The student's day from the start page (issue #21, Acceptance): from a course card's Show more,
the student withdraws from one course and removes the study choice behind another without
visiting either course page. The dialog names the course, its study period and registration
period, is modal (focus inside it, Tab kept inside), and gives the focus back to what opened it
when closed. At 360 px in Swedish and on a laptop in English, axe clean, nothing sideways;
without JavaScript the same steps work as pages.

Elements are found by URLs, ids and form actions, never by translated words."""

import pytest
from playwright.sync_api import Page

from registration.models import CourseParticipation, ParticipationState
from studychoices import services as choice_services
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    Journey,
    check_page,
    journey_fixture,
)

S = ParticipationState
IN_DIALOG = "document.activeElement && document.activeElement.closest('dialog[open]') !== null"


def chosen_course(journey: Journey) -> CourseParticipation:
    """The student chooses one elective (S-CHOICE-1): the course the day removes again."""
    alternative = journey.alternatives[0]
    choice_services.choose(
        journey.student, period=journey.choice_period, alternatives=[alternative]
    )
    return CourseParticipation.objects.get(
        person=journey.person, course_instance=alternative.course_instance
    )


def show_more(page: Page, participation: CourseParticipation) -> str:
    """Press the card's Show more; the actions appear in place. Returns the card's selector."""
    pid = participation.public_id
    url = page.url
    page.locator(f"#more-{pid} a[hx-get='/courses/{pid}/more/']").click()
    page.locator(f"#more-{pid} .course-more__open").wait_for()
    assert page.url == url, "Show more should open in place"
    return f"#more-{pid}"


def open_dialog(page: Page, link: str) -> None:
    page.locator(link).click()
    page.locator("dialog#course-dialog[open] .dialog").wait_for()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'dialog-heading'"
    )


def confirm(page: Page, participation: CourseParticipation, step: str) -> None:
    action = f"/courses/{participation.public_id}/{step}/"
    submit(page, f"dialog#course-dialog form[action='{action}'] button[type='submit']")


def assert_focus_stays_inside(page: Page) -> None:
    """Tab and Shift+Tab go round the dialog's controls and never leave it."""
    for key in ("Tab",) * 6 + ("Shift+Tab",) * 6:
        page.keyboard.press(key)
        assert page.evaluate(IN_DIALOG), f"{key} moved the focus out of the dialog"


def assert_dialog_names(page: Page, participation: CourseParticipation) -> None:
    text = page.locator("dialog#course-dialog").inner_text()
    instance = participation.course_instance
    assert instance.course.code in text
    for period in instance.periods.select_related("study_period"):
        assert period.study_period.start_date.isoformat() in text, "the study period is named"
        assert period.registration_opens.isoformat() in text, "the registration period is named"


@pytest.mark.parametrize(
    ("locale", "viewport"), [("sv-SE", PHONE), ("en-US", LAPTOP)], ids=["phone-sv", "laptop-en"]
)
def test_withdraw_and_remove_a_choice_from_the_start_page(
    new_page, live_server, journey: Journey, locale: str, viewport: dict
) -> None:
    page = new_page(locale=locale, viewport=viewport)
    chosen = chosen_course(journey)
    withdrawn = journey.opens_now
    login(page, live_server, "sara")
    assert page.url == f"{live_server.url}/start/"

    card = show_more(page, withdrawn)
    check_page(page, with_menu=viewport is PHONE)
    leave = f"{card} a[href='/courses/{withdrawn.public_id}/withdraw/?next=/start/']"
    open_dialog(page, leave)
    assert_dialog_names(page, withdrawn)
    check_page(page)
    assert_focus_stays_inside(page)
    page.keyboard.press("Escape")
    page.locator("dialog#course-dialog[open]").wait_for(state="detached")
    assert page.evaluate(f'document.activeElement === document.querySelector("{leave}")'), (
        "closing the dialog should give the focus back to the step that opened it"
    )

    open_dialog(page, leave)
    confirm(page, withdrawn, "withdraw")
    assert page.url == f"{live_server.url}/start/"
    withdrawn.refresh_from_db()
    assert withdrawn.state == S.WITHDRAWN
    assert page.locator(f"#course-{withdrawn.public_id}").count() == 0

    card = show_more(page, chosen)
    remove = f"{card} a[href='/courses/{chosen.public_id}/remove/?next=/start/']"
    open_dialog(page, remove)
    assert_dialog_names(page, chosen)
    check_page(page)
    # The way back closes the dialog too, and gives the focus back.
    page.locator("dialog#course-dialog a[data-dialog-close]").click()
    page.locator("dialog#course-dialog[open]").wait_for(state="detached")
    assert page.evaluate(f'document.activeElement === document.querySelector("{remove}")')
    open_dialog(page, remove)
    confirm(page, chosen, "remove")
    assert page.url == f"{live_server.url}/start/"
    chosen.refresh_from_db()
    assert chosen.state == S.CANCELLED
    assert page.locator(f"#course-{chosen.public_id}").count() == 0
    check_page(page)


def test_without_javascript_the_same_steps_are_pages(
    new_page, live_server, journey: Journey
) -> None:
    page = new_page(locale="sv-SE", java_script_enabled=False)
    chosen = chosen_course(journey)
    withdrawn = journey.opens_now
    login(page, live_server, "sara")

    for participation, step in ((withdrawn, "withdraw"), (chosen, "remove")):
        pid = participation.public_id
        page.locator(f"#more-{pid} a[href='/start/?more={pid}#course-{pid}']").click()
        page.wait_for_url(f"**/start/?more={pid}#course-{pid}")
        page.locator(f"#more-{pid} a[href='/courses/{pid}/{step}/?next=/start/']").click()
        page.wait_for_url(f"**/courses/{pid}/{step}/?next=/start/")
        assert "dialog-heading" in page.content()
        submit(page, f"form[action='/courses/{pid}/{step}/'] button[type='submit']")
        assert page.url == f"{live_server.url}/start/"
        assert page.locator(f"#course-{pid}").count() == 0
    withdrawn.refresh_from_db()
    chosen.refresh_from_db()
    assert (withdrawn.state, chosen.state) == (S.WITHDRAWN, S.CANCELLED)
    open_page(page, f"{live_server.url}/start/")
