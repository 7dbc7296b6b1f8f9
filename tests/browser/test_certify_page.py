"""The examiner certifies in the browser (T-CERT-1..3, B-3, B-4, G-1..3): the certify list, an
instance's ready results, choosing results, the preview, allauth's re-authentication, the
certified batch, and the result's timeline. At laptop width and at 360 px, in Swedish and
English, axe clean and without sideways scroll."""

import datetime

import pytest
from playwright.sync_api import Page

from ladokportal import clock
from results.models import Result, ResultState
from results.services import removal, reporting
from results.validation import Entry
from tests.browser import DEMO_PASSWORD, LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import LOCALES, check_page
from tests.factories.catalog import restore_national_scales
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import grade, reporting_world


def _ready_world(institution):
    restore_national_scales()
    world = reporting_world(institution, students=3)
    session = ActivitySessionFactory(
        institution=institution, label="TEN1", anonymous=True, course_instances=[world.instance]
    )
    for n, person in enumerate(world.students):
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-{n:03d}")
    when = clock.today() - datetime.timedelta(days=2)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=p, grade=grade("G"), examination_date=when) for p in world.students],
        activity_session=session,
    )
    reporting.mark_ready(
        world.reporter,
        results=list(Result.objects.filter(state=ResultState.DRAFT)),
        graded_by=world.reporter,
        notify=world.examiner,
    )
    return world, session


@LOCALES
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_examiner_reviews_reauthenticates_and_certifies(
    new_page, live_server, institution, locale, viewport
) -> None:
    world, session = _ready_world(institution)
    page: Page = new_page(locale=locale, viewport=viewport)
    login(page, live_server, world.examiner.username)

    open_page(page, f"{live_server.url}/staff/results/certify/")
    check_page(page, with_menu=True)
    instance = f"/staff/results/certify/{world.instance.public_id}/"
    with page.expect_navigation(wait_until="load"):
        page.locator(f"a[href='{instance}']").click()
    check_page(page)
    assert "TEN1-000" not in page.content()  # B-6: no code on the instance page

    boxes = page.locator("input[name='result']")
    chosen = [boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")]
    boxes.nth(0).check()
    boxes.nth(1).check()
    first, second = (Result.objects.get(public_id=c).person for c in chosen)
    (third,) = (p for p in world.students if p not in (first, second))
    submit(page, "form.certify-form .certify-form__bar button[type='submit']")
    assert "/review/" in page.url
    check_page(page)
    assert first.full_name in page.content() and second.full_name in page.content()
    assert third.full_name not in page.content()

    submit(page, "form.certify-confirm button[type='submit']")
    assert "/accounts/reauthenticate/" in page.url
    check_page(page)
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    submit(page, "main form button[type='submit']")
    assert page.url.startswith(f"{live_server.url}{instance}")
    assert page.locator(".alert--success").count() == 1
    check_page(page)
    certified = Result.objects.filter(state=ResultState.CERTIFIED)
    assert {r.person_id for r in certified} == {first.pk, second.pk}

    # The last one with the one checkbox that selects everything shown.
    page.locator("#certify-all").check()
    submit(page, "form.certify-form .certify-form__bar button[type='submit']")
    submit(page, "form.certify-confirm button[type='submit']")
    assert "/accounts/reauthenticate/" in page.url  # once per batch: asked again
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    submit(page, "main form button[type='submit']")
    assert Result.objects.filter(state=ResultState.CERTIFIED).count() == 3

    result = certified.first()
    open_page(page, f"{live_server.url}/staff/results/certify/result/{result.public_id}/timeline/")
    assert page.locator("table.certify-table tbody tr").count() == 3  # reported, ready, certified
    check_page(page)

    open_page(page, f"{live_server.url}/staff/results/certify/sessions/{session.public_id}/")
    check_page(page)
    open_page(
        page,
        f"{live_server.url}/staff/results/certify/sessions/{session.public_id}/?status=certified",
    )
    assert "TEN1-000" in page.content()
    check_page(page)

    open_page(page, f"{live_server.url}/staff/results/certify/result/{result.public_id}/remove/")
    check_page(page)

    # Prepared removals waiting for this examiner (T-REM-1): one, after a reporter prepared it.
    removal.prepare_removal(world.reporter, result=result, reason="Dnr 2026/12")
    open_page(page, f"{live_server.url}/staff/results/certify/removals/")
    assert result.person.full_name in page.content()
    check_page(page)


@LOCALES
def test_correct_and_preview_warnings_on_a_phone(
    new_page, live_server, institution, locale
) -> None:
    world, _session = _ready_world(institution)
    page: Page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, world.examiner.username)
    result = Result.objects.filter(state=ResultState.READY).first()
    base = f"{live_server.url}/staff/results/certify/{world.instance.public_id}/"
    open_page(page, f"{base}results/{result.public_id}/correct/")
    check_page(page)
    page.locator("select[name='grade']").select_option(str(grade("U").pk))
    submit(page, "main form button[type='submit']")
    assert Result.objects.get(pk=result.pk).grade.code == "U"
    page.locator("#certify-all").check()
    submit(page, "form.certify-form .certify-form__bar button[type='submit']")
    assert page.locator(".certify-warnings li").count() == 1
    check_page(page)


def test_certify_without_javascript(new_page, live_server, institution) -> None:
    """Plain forms all the way: the one checkbox, the preview, allauth's page, the decision."""
    world, _session = _ready_world(institution)
    page: Page = new_page(locale="en-US", viewport=PHONE, java_script_enabled=False)
    login(page, live_server, world.examiner.username)
    open_page(page, f"{live_server.url}/staff/results/certify/{world.instance.public_id}/")
    # Back to draft from a row: the row's button posts the same form to another address.
    submit(page, "button[name='unmark'] >> nth=0")
    assert Result.objects.filter(state=ResultState.DRAFT).count() == 1
    page.locator("#certify-all").check()
    submit(page, "form.certify-form .certify-form__bar button[type='submit']")
    submit(page, "form.certify-confirm button[type='submit']")
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    submit(page, "main form button[type='submit']")
    assert Result.objects.filter(state=ResultState.CERTIFIED).count() == 2
