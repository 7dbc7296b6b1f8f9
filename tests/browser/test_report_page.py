"""The Report page in the browser (T-REP-1, T-REP-3, T-ANON-1, G-1..3): a reporter opens a course
instance from the list, reports three students on a module, saves, and marks them ready
notifying the examiner. At laptop width in Swedish and English, and once at 360 px; axe clean and
without sideways scroll on every page. The report-by-code page is checked the same way."""

import datetime

import pytest
from playwright.sync_api import Page

from ladokportal import clock
from notifications.models import Notification, NotificationKind
from results.models import Result, ResultState
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import LOCALES, check_page
from tests.factories.catalog import restore_national_scales
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory, reporting_world


def _world(institution):
    restore_national_scales()
    world = reporting_world(institution, students=3, modules=2)
    names = [("Anna", "Xandersson"), ("Bo", "Xberg"), ("Cecilia", "Xcarlsson")]
    for person, (first, last) in zip(world.students, names, strict=True):
        person.first_name, person.last_name = first, last
        person.save()
    return world


def _report_three_and_mark_ready(page: Page, live_server, world, *, check=check_page) -> None:
    base = f"/staff/results/{world.instance.public_id}/"
    open_page(page, f"{live_server.url}/staff/results/")
    check(page, with_menu=True)
    with page.expect_navigation(wait_until="load"):
        page.locator(f"a[href='{base}']").click()
    check(page)
    sheet = f"{base}{world.module.code}/"
    with page.expect_navigation(wait_until="load"):
        page.locator(f"a[href='{sheet}']").click()
    check(page)

    when = (clock.today() - datetime.timedelta(days=2)).isoformat()
    for person, grade in zip(world.students, ["G", "G", "U"], strict=True):
        key = f"p{person.public_id.hex}"
        page.locator(f"select[name='{key}-grade']").select_option(grade)
        page.locator(f"input[name='{key}-date']").fill(when)
    submit(page, "#report-form button[type='submit']")
    assert page.url == f"{live_server.url}{sheet}"
    assert page.locator(".alert--success").count() == 1
    drafts = Result.objects.filter(state=ResultState.DRAFT, module=world.module)
    assert sorted(r.grade.code for r in drafts) == ["G", "G", "U"]
    check(page)

    for person in world.students:
        page.locator(f"#p{person.public_id.hex}-pick").check()
    # The only examiner is whom to notify, already chosen; the reporter grades.
    assert page.locator("#ready-form select[name='notify']").input_value() == str(world.examiner.pk)
    assert page.locator("#ready-form select[name='graded_by']").input_value() == str(
        world.reporter.pk
    )
    submit(page, "#ready-form button[type='submit']:not([name])")
    ready = Result.objects.filter(state=ResultState.READY, module=world.module)
    assert ready.count() == 3
    assert {(r.notify_id, r.graded_by_id) for r in ready} == {
        (world.examiner.pk, world.reporter.pk)
    }
    notice = Notification.objects.get(kind=NotificationKind.RESULTS_READY)
    assert notice.user == world.examiner
    assert page.locator(".alert--success").count() == 1
    check(page)


@LOCALES
def test_reporter_reports_three_students_and_marks_them_ready(
    new_page, live_server, institution, locale
) -> None:
    world = _world(institution)
    page: Page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, world.reporter.username)
    _report_three_and_mark_ready(page, live_server, world)

    # A wrong row comes back with its error next to it and in the summary; nothing is saved.
    course = f"/staff/results/{world.instance.public_id}/course/"
    open_page(page, f"{live_server.url}{course}")
    check_page(page)
    open_page(page, f"{live_server.url}/staff/results/{world.instance.public_id}/M2/")
    key = f"p{world.students[0].public_id.hex}"
    page.locator(f"select[name='{key}-grade']").select_option("G")
    page.locator(f"input[name='{key}-date']").fill(
        (clock.today() + datetime.timedelta(days=3)).isoformat()
    )
    submit(page, "#report-form button[type='submit']")
    assert page.locator("#problems a").count() == 1
    assert page.locator(f"#{key}-errors").count() == 1
    assert Result.objects.filter(module=world.modules[1]).count() == 0
    check_page(page)

    # Discarding a draft asks first, on a page of its own (works without JavaScript).
    draft = ResultFactory(
        course_instance=world.instance, module=world.modules[1], person=world.students[1]
    )
    open_page(
        page,
        f"{live_server.url}/staff/results/{world.instance.public_id}/M2/discard/{draft.public_id}/",
    )
    check_page(page)


@pytest.mark.parametrize("locale", ["sv-SE"], ids=["sv"])
def test_reporting_on_a_phone(new_page, live_server, institution, locale) -> None:
    world = _world(institution)
    page: Page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, world.reporter.username)
    _report_three_and_mark_ready(page, live_server, world)


@LOCALES
def test_report_by_code_shows_codes_only(new_page, live_server, institution, locale) -> None:
    world = _world(institution)
    session = ActivitySessionFactory(
        institution=institution, label="TEN1", anonymous=True, course_instances=[world.instance]
    )
    session.modules.add(world.module)
    for n, person in enumerate(world.students):
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-{n:03d}")
    page: Page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, world.reporter.username)
    url = f"{live_server.url}/staff/results/sessions/{session.public_id}/report/"
    open_page(page, url)
    check_page(page)
    page.locator("select[name='cTEN1-001-grade']").select_option("G")
    page.locator("input[name='cTEN1-001-date']").fill(
        (clock.today() - datetime.timedelta(days=1)).isoformat()
    )
    submit(page, "#report-form button[type='submit']")
    assert Result.objects.get().person == world.students[1]
    html = page.content()
    for person in world.students:
        assert person.last_name not in html
        assert str(person.public_id) not in html
    check_page(page)
    open_page(page, f"{live_server.url}/staff/results/sessions/{session.public_id}/thresholds/")
    check_page(page)


def test_reporting_without_javascript(new_page, live_server, institution) -> None:
    """Plain forms: the inputs in the table belong to the Save and Mark-as-ready forms through
    their form attribute, which needs no script."""
    world = _world(institution)
    page: Page = new_page(locale="en-US", viewport=LAPTOP, java_script_enabled=False)
    login(page, live_server, world.reporter.username)
    _report_three_and_mark_ready(page, live_server, world, check=lambda *_a, **_k: None)
