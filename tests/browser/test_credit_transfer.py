"""The credit-transfer journey in the browser (#14 acceptance; S-CRED-1, S-CRED-2, S-CRED-3,
S-EDU-1, S-EDU-3): the student applies in four steps with a PDF attached, the case officer opens
the attachment, credits one item and refuses the other after re-authenticating, and the student
sees the decision, the credited module linking to it, and My education's credit sum grown by
exactly the credited credits. On a phone in Swedish and on a laptop in English; no sideways
scroll and axe clean on every page visited."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from credits.models import CaseStatus, Outcome
from results.models import ResultSource
from tests.browser import DEMO_PASSWORD, LAPTOP, PHONE, log_out, login, open_page, submit
from tests.browser.journey import check_page
from tests.factories.catalog import restore_national_scales
from tests.factories.credits import credit_world, items_of
from tests.factories.results import grade

# A tiny but complete PDF: one empty A4 page, cross-reference table and trailer.
_OBJECTS = [
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
]


def tiny_pdf() -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(_OBJECTS, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(_OBJECTS) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(_OBJECTS) + 1, xref)
    return bytes(out)


PDF = tiny_pdf()

DEVICES = pytest.mark.parametrize(
    ("locale", "viewport"), [("sv-SE", PHONE), ("en-US", LAPTOP)], ids=["phone-sv", "laptop-en"]
)


def credit_sum(page: Page) -> Decimal:
    """The 'Of which credited' figure in My education's summary, read as a number."""
    text = page.locator("#education-summary + dl.facts dd").nth(1).inner_text()
    number = re.search(r"\d+(?:[.,]\d+)?", text.replace("\xa0", " "))
    assert number, f"no number in the credited sum: {text!r}"
    return Decimal(number.group().replace(",", "."))


def completed_sum(page: Page) -> Decimal:
    text = page.locator("#education-summary + dl.facts dd").first.inner_text()
    number = re.search(r"\d+(?:[.,]\d+)?", text.replace("\xa0", " "))
    assert number, f"no number in the completed sum: {text!r}"
    return Decimal(number.group().replace(",", "."))


def decide(page: Page, item, outcome: str, **fields: str) -> None:
    """Record a decision on one item; re-authenticate when the portal asks for it."""
    form = page.locator(f"#item-{item.public_id} form")
    form.locator(f"input[name='outcome'][value='{outcome}']").check()
    if "grade" in fields:
        form.locator("select[name='grade']").select_option(fields["grade"])
    if "reason" in fields:
        form.locator("textarea[name='refusal_reason']").fill(fields["reason"])
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type='submit']").click()
    if "/accounts/reauthenticate/" in page.url:
        check_page(page)
        page.locator("input[name='password']").fill(DEMO_PASSWORD)
        submit(page, "main form button[type='submit']")
    assert "/accounts/reauthenticate/" not in page.url, "the password was not accepted"


@DEVICES
def test_apply_decide_and_see_the_credit(
    new_page, live_server, institution, settings, tmp_path, locale, viewport
) -> None:
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    restore_national_scales()
    world = credit_world(institution, username="cecilia")
    first_module = world.modules[0]
    url = live_server.url

    # The student: My education before, then the application in four steps.
    page = new_page(locale=locale, viewport=viewport)
    login(page, live_server, world.student.username)
    open_page(page, f"{url}/education/")
    credited_before, completed_before = credit_sum(page), completed_sum(page)
    check_page(page, with_menu=True)

    open_page(page, f"{url}/credits/apply/")
    check_page(page)
    for name in ("Lineare Algebra", "Geschichte der Mathematik"):
        page.locator("input[name='kind'][value='education']").check()
        page.locator("input[name='course_name']").fill(name)
        page.locator("input[name='university']").fill("Universität Wien")
        page.locator("input[name='country']").fill("Austria")
        page.locator("input[name='credits']").fill("7.5")
        page.locator("select[name='credit_system']").select_option("ects")
        page.locator("input[name='grade_text']").fill("1")
        submit(page, "form[aria-labelledby='add-studied'] button[type='submit']")
    check_page(page)
    case = world.person.credit_cases.get()
    credit_item, refuse_item = items_of(case)
    submit(page, "a[href$='/credits/apply/targets/']")
    for item, module in ((credit_item, world.modules[0]), (refuse_item, world.modules[1])):
        page.locator(f"select[name='target-{item.public_id}']").select_option(f"m{module.pk}")
        page.locator(f"input[name='scope-{item.public_id}'][value='whole']").check()
    check_page(page)
    submit(page, "main form button[type='submit']")
    assert page.url.endswith("/credits/apply/attachments/")
    page.locator("input[name='file']").set_input_files(
        files=[{"name": "betyg.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    submit(page, "form[aria-labelledby='attach'] button[type='submit']")
    assert page.locator("section[aria-labelledby='attached'] a", has_text="betyg.pdf").count() == 1
    check_page(page)
    submit(page, "a[href$='/credits/apply/confirm/']")
    assert "betyg.pdf" in page.locator("main").inner_text()
    check_page(page)
    submit(page, "main form[action$='/credits/apply/confirm/'] button[type='submit']")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert page.url == f"{url}/credits/{case.public_id}/"
    check_page(page)
    log_out(page)

    # The case officer: the queue, the case, the attachment, two decisions.
    login(page, live_server, world.officer.username)
    open_page(page, f"{url}/staff/credits/")
    assert case.number in page.locator("main").inner_text()
    check_page(page, with_menu=True)
    submit(page, f"main a[href$='/staff/credits/{case.public_id}/']")
    check_page(page)
    link = page.locator("section[aria-labelledby='case-attachments'] a", has_text="betyg.pdf")
    opened = page.context.request.get(f"{url}{link.get_attribute('href')}")
    assert (opened.status, opened.headers["content-type"]) == (200, "application/pdf")
    assert opened.body() == PDF
    decide(page, credit_item, "credited", grade=str(grade("G").pk))
    credit_item.refresh_from_db()
    assert credit_item.outcome == Outcome.CREDITED
    assert credit_item.result.source == ResultSource.CREDIT
    check_page(page)
    decide(page, refuse_item, "refused", reason="Other content than our course.")
    refuse_item.refresh_from_db()
    assert refuse_item.outcome == Outcome.REFUSED
    check_page(page)
    log_out(page)

    # The student: the decision, the credited module linking to it, the sum grown.
    login(page, live_server, world.student.username)
    open_page(page, f"{url}/credits/{case.public_id}/")
    assert "Other content than our course." in page.locator("main").inner_text()
    check_page(page)
    participation = world.person.course_participations.get()
    open_page(page, f"{url}{reverse('course_page', args=[participation.public_id])}")
    decision = page.locator(
        f"main a[href$='/credits/{case.public_id}/#decision-{credit_item.public_id}']"
    )
    assert decision.count() == 1, "the credited module does not link to its decision"
    check_page(page)
    submit(page, f"main a[href$='#decision-{credit_item.public_id}']")
    assert page.locator(f"#decision-{credit_item.public_id}").count() == 1
    open_page(page, f"{url}/education/")
    credited = credit_item.credited_credits or first_module.credits
    assert credit_sum(page) - credited_before == credited == Decimal("7.5")
    assert completed_sum(page) - completed_before == credited
    check_page(page)
