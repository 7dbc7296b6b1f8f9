"""Administration in the staff web, in the browser (#12 acceptance), in Swedish and English, at
laptop width and at 360 px, axe clean: the system administrator edits the start page's "Other
information" in both languages with a preview, publishes it and the student sees it, restores
the previous version, and switches off withdrawal so the student's course page no longer offers
it; the study administrator creates a course instance with two study periods and admits three
students from a pasted list; the examiner finds a course by code and opens the Certify tab of a
session with nothing ready; a teacher prepares the removal of a certified result starting from
the report sheet."""

import datetime

import pytest
from playwright.sync_api import Page

from catalog.models import CourseInstance, StudyPeriod
from institutions.models import LocalTextSlot
from institutions.services import save_local_text
from people.models import StaffRoleKind
from registration.models import CourseParticipation
from results.models import ResultState
from tests.browser import LAPTOP, PHONE, log_out, login, open_page, submit
from tests.browser.journey import LOCALES, check_page
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.catalog import StudyPeriodFactory
from tests.factories.certificates import certified
from tests.factories.exams import ActivitySessionFactory
from tests.factories.registration import participation_with_periods
from tests.factories.results import reporting_world

K = StaffRoleKind
EDIT = "/staff/configuration/texts/start.other/"


@pytest.fixture
def lund(institution):
    sysadmin = UserFactory(username="oskar", first_name="Oskar", last_name="Sandberg")
    StaffRoleFactory(user=sysadmin, institution=institution, role=K.SYSTEM_ADMIN)
    save_local_text(
        sysadmin,
        institution=institution,
        slot=LocalTextSlot.START_OTHER,
        body_sv="<p>Gammal text.</p>",
        body_en="<p>Old text.</p>",
    )
    student = UserFactory(username="stina", person=PersonFactory(first_name="Stina"))
    course = participation_with_periods(student.person, institution)
    world = reporting_world(institution, students=1, code="MATA21")
    session = ActivitySessionFactory(institution=institution, course_instances=[world.instance])
    session.modules.set([world.module])
    result = certified(world.students[0], world.module, world.instance)
    for code, start in (
        ("HT30A", datetime.date(2030, 8, 26)),
        ("HT30B", datetime.date(2030, 11, 4)),
    ):
        StudyPeriodFactory(
            institution=institution,
            code=code,
            start_date=start,
            end_date=start + datetime.timedelta(days=60),
        )
    newcomers = [PersonFactory() for _ in range(3)]
    return {
        "course": course,
        "world": world,
        "session": session,
        "result": result,
        "newcomers": newcomers,
    }


def fill_text(page: Page, sv: str, en: str) -> None:
    page.locator("textarea[name='body_sv']").fill(sv)
    page.locator("textarea[name='body_en']").fill(en)


@LOCALES
def test_administration_journey(new_page, live_server, lund, locale: str) -> None:
    url = live_server.url
    # The system administrator: the text with a live preview, published, seen, restored.
    page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, "oskar")
    open_page(page, f"{url}{EDIT}")
    fill_text(page, "<p>Ny <strong>text</strong>.</p>", "<p>New <strong>text</strong>.</p>")
    page.locator("#text-preview .local-text strong").first.wait_for()
    assert page.locator("#text-preview .local-text").all_inner_texts() == ["Ny text.", "New text."]
    check_page(page, with_menu=True)
    submit(page, "form.text-editor button[type='submit']:not([name])")

    student = new_page(locale=locale, viewport=PHONE)
    login(student, live_server, "stina")
    expected = "Ny text." if locale.startswith("sv") else "New text."
    assert student.locator(".local-text").inner_text() == expected

    restore = page.locator("form[action$='/restore/'] button").last
    with page.expect_navigation(wait_until="load"):
        restore.click()
    open_page(student, f"{url}/start/")
    assert student.locator(".local-text").inner_text() in ("Gammal text.", "Old text.")

    # Withdrawal switched off: the course page offers it no longer.
    course_page = f"{url}/courses/{lund['course'].public_id}/"
    open_page(student, course_page)
    assert student.locator("a[href$='/withdraw/']").count() == 1
    open_page(page, f"{url}/staff/configuration/switches/")
    check_page(page)
    page.locator("input[name='allow_withdrawal']").uncheck()
    submit(page, "main form button[type='submit']")
    open_page(student, course_page)
    assert student.locator("a[href$='/withdraw/']").count() == 0
    log_out(page)

    # The study administrator: a new instance with two study periods, three students admitted.
    world = lund["world"]
    login(page, live_server, world.study_admin.username)
    open_page(page, f"{url}/staff/courses/MATA21/new/")
    page.locator("input[name='instance_code']").fill("LU-777")
    page.locator("input[name='start_date']").fill("2030-08-26")
    page.locator("input[name='end_date']").fill("2031-01-05")
    for n, code in enumerate(("HT30A", "HT30B")):
        page.locator(f"select[name='periods-{n}-study_period']").select_option(
            str(StudyPeriod.objects.get(code=code).pk)
        )
        page.locator(f"input[name='periods-{n}-credits']").fill("7.5")
    page.locator("input[name='periods-0-registration_opens']").fill("2030-08-01")
    check_page(page)
    submit(page, "main form button[type='submit']")
    made = CourseInstance.objects.get(instance_code="LU-777")
    assert made.periods.count() == 2
    submit(page, "main a[href$='/admit/']")
    pasted = "\n".join(p.display_identifier for p in lund["newcomers"])
    page.locator("textarea[name='numbers']").fill(pasted)
    submit(page, "main form button[name='preview']")
    check_page(page)
    submit(page, "main form button[name='confirm']")
    assert CourseParticipation.objects.filter(course_instance=made).count() == 3
    log_out(page)

    # The examiner: the course by its code, the Certify tab of a session with nothing ready.
    examiner = new_page(locale=locale, viewport=PHONE)
    login(examiner, live_server, world.examiner.username)
    examiner.locator("#course-search-q").fill("MATA21")
    submit(examiner, "form.course-search button")
    check_page(examiner, with_menu=True)
    submit(examiner, "main a[href='/staff/courses/MATA21/']")
    submit(examiner, f"main a[href$='/{world.instance.public_id}/']")
    check_page(examiner)
    submit(examiner, f"main a[href$='/certify/sessions/{lund['session'].public_id}/']")
    assert examiner.url.endswith(f"/staff/results/certify/sessions/{lund['session'].public_id}/")

    # The teacher: from the report sheet to the certified result's timeline, removal prepared.
    login(page, live_server, world.reporter.username)
    open_page(page, f"{url}/staff/results/{world.instance.public_id}/{world.module.code}/")
    submit(page, "a.report-sheet__timeline")
    page.locator("details.action > summary").first.click()
    page.locator("form[action$='/prepare-removal/'] [name='reason']").fill("Wrong student")
    submit(page, "form[action$='/prepare-removal/'] button[type='submit']")
    result = lund["result"]
    result.refresh_from_db()
    assert result.state == ResultState.REMOVAL_PREPARED
