"""Results as the student meets them in the browser, at 360 px in Swedish and in English (G-1..3):
the start page's new results once (S-HOME-1), the course page with each module's result opened
(S-EDU-3), My education's summary and credited filter (S-EDU-2); and the study administrator's
overview with the student's results, on a laptop and on a phone (T-ADM-2). Axe clean and no
sideways scrolling throughout; the details open without JavaScript too."""

import pytest
from playwright.sync_api import Page

from results.models import AnnotationColumn, AnnotationKind, ResultSource
from tests.browser import (
    LAPTOP,
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_phone_ready,
    login,
    open_page,
)
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, login_for, ready

LOCALES = pytest.mark.parametrize("locale", ["sv-SE", "en-US"], ids=["sv", "en"])
TITLE = "Vågor i Vättern: en modellstudie"


@pytest.fixture
def story(institution):
    """A student with a failed exam and its re-take, a credited module and a course grade, all
    new to her; and a draft-like result marked ready that she must never see."""
    world = reporting_world(institution, students=2)
    me, classmate = world.students
    m1, m2 = world.modules
    AnnotationColumn.objects.create(
        institution=institution, course=world.instance.course, module=m1, kind=AnnotationKind.TITLE
    )
    certify(world, {me: "U"}, module=m1, days_ago=20, annotations={"title": TITLE})
    certify(world, {me: "G"}, module=m1, days_ago=4, annotations={"title": TITLE})
    certify(world, {me: "G"}, module=m2, days_ago=4, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=None, days_ago=4)
    ready(world, {classmate: "U"}, module=m1)
    world.extra["user"] = login_for(me)
    return world


@LOCALES
def test_student_sees_new_results_once_then_the_course_page_and_credits(
    new_page, live_server, story, locale: str
) -> None:
    page: Page = new_page(locale=locale, viewport=PHONE)
    # Logging in lands on the start page: the first look at the new results.
    login(page, live_server, story.extra["user"].username)

    assert page.url == f"{live_server.url}/start/"
    news = page.locator("#new-results + ul > li")
    assert news.count() == 4
    assert_phone_ready(page)

    page.reload(wait_until="load")
    assert page.locator("#new-results").count() == 0

    participation = story.students[0].course_participations.get()
    open_page(page, f"{live_server.url}/courses/{participation.public_id}/")
    for summary in page.locator("#course-modules ~ ul details > summary").all():
        summary.click()
    assert page.locator("#final-grade").count() == 1
    assert TITLE in page.locator("#course-modules").locator("xpath=..").inner_text()
    assert_phone_ready(page)

    open_page(page, f"{live_server.url}/education/?show=credited")
    assert page.locator("main .course-item").count() == 1
    assert_phone_ready(page)


def test_the_result_details_open_without_javascript(new_page, live_server, story) -> None:
    page: Page = new_page(viewport=PHONE, java_script_enabled=False)
    login(page, live_server, story.extra["user"].username)
    participation = story.students[0].course_participations.get()

    open_page(page, f"{live_server.url}/courses/{participation.public_id}/")
    details = page.locator("details.history").first
    details.locator("summary").click()

    assert details.get_attribute("open") is not None
    assert TITLE in details.inner_text()


@LOCALES
def test_study_administrator_sees_the_students_results_on_the_overview(
    new_page, live_server, story, locale: str
) -> None:
    page: Page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, story.study_admin.username)
    me, classmate = story.students

    open_page(page, f"{live_server.url}/staff/students/{me.public_id}/")
    assert page.locator("li.result-row").count() == 4
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)

    open_page(page, f"{live_server.url}/staff/students/{classmate.public_id}/")
    assert page.locator("li.result-row").count() == 1
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
