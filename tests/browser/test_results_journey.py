"""The results issue's acceptance journey across three people and two devices: a reporter
reports three students and marks them ready (laptop), the examiner certifies them after
re-authenticating (laptop), and a student sees the grade on a phone at 360 px — on the start
page once (S-HOME-1), then on the course page (S-EDU-3). Both languages, axe clean on every page
(T-REP-1, T-REP-3, T-CERT-1, T-CERT-3, B-2)."""

import datetime

from playwright.sync_api import Page

from ladokportal import clock
from results.models import Result, ResultState
from tests.browser import DEMO_PASSWORD, LAPTOP, PHONE, log_out, login, open_page, submit
from tests.browser.journey import LOCALES, check_page
from tests.factories import UserFactory
from tests.factories.catalog import restore_national_scales
from tests.factories.results import reporting_world


@LOCALES
def test_report_certify_and_the_student_sees_the_grade(
    new_page, live_server, institution, locale
) -> None:
    restore_national_scales()
    world = reporting_world(institution, students=3, modules=1)
    student = world.students[0]
    student_user = UserFactory(username="journey-student", person=student)
    module, instance = world.module, world.instance
    module.name_sv, module.name_en = "Tentamen i analys", "Written exam in analysis"
    module.save()

    # The reporter, on a laptop.
    page: Page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, world.reporter.username)
    sheet = f"{live_server.url}/staff/results/{instance.public_id}/{module.code}/"
    open_page(page, sheet)
    check_page(page, with_menu=True)
    when = clock.today() - datetime.timedelta(days=2)
    for person, grade in zip(world.students, ["G", "G", "U"], strict=True):
        key = f"p{person.public_id.hex}"
        page.locator(f"select[name='{key}-grade']").select_option(grade)
        page.locator(f"input[name='{key}-date']").fill(when.isoformat())
    submit(page, "#report-form button[type='submit']")
    for person in world.students:
        page.locator(f"#p{person.public_id.hex}-pick").check()
    submit(page, "#ready-form button[type='submit']:not([name])")
    assert Result.objects.filter(state=ResultState.READY).count() == 3
    check_page(page)

    # Nothing is visible to the student yet.
    assert not Result.objects.filter(person=student, state=ResultState.CERTIFIED).exists()
    log_out(page)

    # The examiner certifies all three, re-authenticating once for the batch.
    login(page, live_server, world.examiner.username)
    open_page(page, f"{live_server.url}/staff/results/certify/{instance.public_id}/")
    check_page(page, with_menu=True)
    page.locator("#certify-all").check()
    submit(page, "form.certify-form .certify-form__bar button[type='submit']")
    check_page(page)
    submit(page, "form.certify-confirm button[type='submit']")
    assert "/accounts/reauthenticate/" in page.url
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    submit(page, "main form button[type='submit']")
    assert Result.objects.filter(state=ResultState.CERTIFIED).count() == 3
    check_page(page)
    log_out(page)
    page.close()

    # The student, on a phone: the new result once on the start page, then on the course page.
    phone: Page = new_page(locale=locale, viewport=PHONE)
    login(phone, live_server, student_user.username)
    assert phone.url == f"{live_server.url}/start/"  # where a login lands: the news shows here
    news = phone.locator("#new-results")
    assert news.count() == 1
    card = phone.locator("section[aria-labelledby='new-results']")
    assert instance.course.code in card.inner_text()
    assert "(G)" in card.inner_text()
    check_page(phone, with_menu=True)
    with phone.expect_navigation(wait_until="load"):
        card.locator("a").first.click()
    assert "/courses/" in phone.url
    body = phone.locator("main").inner_text()
    expected_name = module.name_sv if locale.startswith("sv") else module.name_en
    assert expected_name in body
    assert "(G)" in body
    check_page(phone)
    open_page(phone, f"{live_server.url}/start/")
    assert phone.locator("#new-results").count() == 0  # shown once, then gone
