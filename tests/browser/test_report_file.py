"""Report by file in the browser (T-REP-5, B-6, G-1..3): a reporter uploads a CSV, sees the
preview of every row and saves the drafts; a wrong file is rejected; a file of anonymisation
codes is previewed by code only. In Swedish and English, at 360 px and laptop width, axe clean
and without sideways scroll."""

import datetime

from playwright.sync_api import Page

from ladokportal import clock
from people import identity
from results.models import Result, ResultSource
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import LOCALES, check_page
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import reporting_world


def _csv(rows: list[list[str]]) -> dict:
    text = "\r\n".join(";".join(row) for row in rows) + "\r\n"
    return {"name": "grades.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8-sig")}


def _rows(world, grade: str = "G") -> list[list[str]]:
    when = (clock.today() - datetime.timedelta(days=1)).isoformat()
    return [["personnummer", "namn", "betyg", "examinationsdatum"]] + [
        [identity.display(p.identity_number), p.full_name, grade, when] for p in world.students
    ]


def _upload(page: Page, rows: list[list[str]], session: str = "") -> None:
    form = page.locator("form[enctype='multipart/form-data']")
    form.locator("input[name='file']").set_input_files(_csv(rows))
    if session:
        form.locator("select[name='session']").select_option(session)
    submit(page, "form[enctype='multipart/form-data'] button[type='submit']")


@LOCALES
def test_reporter_uploads_checks_and_saves(new_page, live_server, institution, locale) -> None:
    world = reporting_world(institution, students=3)
    url = f"{live_server.url}/staff/results/file/{world.instance.public_id}/M1/"
    for viewport in (PHONE, LAPTOP):
        page: Page = new_page(locale=locale, viewport=viewport)
        login(page, live_server, world.reporter.username)
        open_page(page, url)
        check_page(page, with_menu=True)

        wrong = _rows(world, grade="VG")
        _upload(page, wrong)
        assert page.locator(".alert--error").count() == 1
        assert not Result.objects.exists()
        check_page(page)

    _upload(page, _rows(world))
    check_page(page)
    submit(page, "form[action$='/save/'] button[type='submit']")
    assert Result.objects.filter(source=ResultSource.FILE).count() == 3
    check_page(page)


@LOCALES
def test_a_file_of_codes_on_a_phone(new_page, live_server, institution, locale) -> None:
    world = reporting_world(institution, students=2)
    session = ActivitySessionFactory(
        institution=institution, course_instances=[world.instance], anonymous=True, label="TEN1"
    )
    for n, person in enumerate(world.students):
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-CODE{n}")
    when = (clock.today() - datetime.timedelta(days=1)).isoformat()
    rows = [["anonymiseringskod", "betyg", "examinationsdatum"]] + [
        [f"TEN1-CODE{n}", "G", when] for n in range(2)
    ]
    page: Page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, world.reporter.username)
    open_page(page, f"{live_server.url}/staff/results/file/{world.instance.public_id}/M1/")
    _upload(page, rows, session=str(session.public_id))
    html = page.content()
    assert "TEN1-CODE0" in html
    assert all(p.last_name not in html for p in world.students)
    check_page(page)
