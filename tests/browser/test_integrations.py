"""The integration inbox and the exam-system clients in the browser (B-7, T-EXT-1): at 360 px
and on a laptop, in both languages, axe clean and without sideways scroll: the inbox with a
rejected record, a correction that is still wrong, one that applies, a dismissal, the clients
list, the form and the page that shows the token once."""

import pytest
from playwright.sync_api import Page

from results.models import InboundState, RejectedRecord, Result
from tests.browser import (
    LAPTOP,
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    login,
    open_page,
    submit,
)
from tests.factories.catalog import restore_national_scales
from tests.results.api_world import exam_at, post


@pytest.fixture
def exam(institution, world):
    # The world fixture puts back the U/G scale after a flush, but not its grades.
    restore_national_scales()
    exam = exam_at(institution)
    batch = [
        exam.record(0, grade="VG", points="14.5", external_id="inspera-4711"),
        exam.record(1, anonymisation_code="TEN1-UNKNOWN"),
    ]
    assert post(exam.results_url, batch).json()["rejected"] == 2
    return exam


def _looks_right(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("locale", ["sv-SE", "en-US"], ids=["sv", "en"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_inbox_correct_dismiss_and_clients(new_page, live_server, exam, locale, viewport) -> None:
    page = new_page(locale=locale, viewport=viewport)
    login(page, live_server, exam.world.study_admin.username)
    base = f"{live_server.url}/staff/integrations/"
    open_page(page, base)
    _looks_right(page)
    assert page.locator("tbody tr").count() == 2

    graded = RejectedRecord.objects.get(payload__external_id="inspera-4711")
    open_page(page, f"{base}records/{graded.public_id}/")
    _looks_right(page)
    # Still wrong: the grade left empty is refused by the form.
    page.locator("select[name='grade']").select_option("")
    submit(page, f"form[action$='/records/{graded.public_id}/'] button")
    assert page.locator(".alert--error").count() == 1
    _looks_right(page)
    page.locator("select[name='grade']").select_option("G")
    submit(page, f"form[action$='/records/{graded.public_id}/'] button")
    assert page.url == base
    _looks_right(page)
    graded.refresh_from_db()
    assert graded.state == InboundState.APPLIED
    assert Result.objects.get().annotations == {"points": "14.5"}

    unknown = RejectedRecord.objects.get(state=InboundState.REJECTED)
    open_page(page, f"{base}records/{unknown.public_id}/")
    page.locator("input[name='note']").fill("Not one of ours")
    submit(page, f"form[action$='/records/{unknown.public_id}/dismiss/'] button")
    unknown.refresh_from_db()
    assert unknown.state == InboundState.DISMISSED
    open_page(page, f"{base}?state=all")
    _looks_right(page)

    open_page(page, f"{base}clients/")
    _looks_right(page)
    open_page(page, f"{base}clients/new/")
    _looks_right(page)
    page.locator("input[name='name_sv']").fill("Inspera")
    page.locator("input[name='name_en']").fill("Inspera")
    page.locator("select[name='acting_user']").select_option(str(exam.world.study_admin.pk))
    submit(page, "form[action$='/clients/new/'] button")
    assert len(page.locator("#token").input_value()) >= 40
    _looks_right(page)


def test_without_javascript(new_page, live_server, exam) -> None:
    page = new_page(java_script_enabled=False)
    login(page, live_server, exam.world.study_admin.username)
    record = RejectedRecord.objects.get(payload__external_id="inspera-4711")
    open_page(page, f"{live_server.url}/staff/integrations/records/{record.public_id}/")
    page.locator("select[name='grade']").select_option("G")
    submit(page, f"form[action$='/records/{record.public_id}/'] button")
    record.refresh_from_db()
    assert record.state == InboundState.APPLIED
