"""The degree journey in the browser (#13 acceptance; S-DEG-1..6, S-AUTH-2, G-1..3): `alumnus`
logs in to the alumni pages and applies for a degree step by step (the audit shows what counts),
the degree case officer issues it after re-authentication, a real worker renders and seals the
PDF (pyHanko and pdfsig: seal valid; the QR code reads as the verify address), the alumnus shares
it, someone logged out opens the share with the code and his identity number and sees the degree
and its results; after revoking, the same request is refused. The alumnus works in Swedish at
360 px, the officer and the recipient in English on a laptop and at 360 px; axe clean throughout.
"""

import shutil
import subprocess

from playwright.sync_api import Page

from certificates.models import Certificate
from degrees.models import CaseState, DegreeCase, IssuedDegree
from people.adapters import PORTAL_MODE_KEY
from people.identity import display
from tests.browser import (
    LAPTOP,
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_phone_ready,
    login,
    open_page,
    submit,
    update_session,
)
from tests.factories.degrees import graduate, officer, settings_of
from tests.worker import wait_for, worker_fixture  # noqa: F401 - the `worker` fixture

DEMO_PASSWORD = "demo"


def slow_machine(page: Page) -> Page:
    """A render and a worker share the machine with the browser: allow them time."""
    page.context.set_default_timeout(60_000)
    return page


def clean(page: Page, *, phone: bool) -> None:
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    if phone:
        assert_phone_ready(page)


# pyHanko validates with asyncio, which cannot run in a thread where Playwright's event loop
# runs (README): the check runs in a process of its own, trusting the university's seal.
PYHANKO = """
import sys
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
context = ValidationContext(trust_roots=[load_cert_from_pemder(sys.argv[2])])
with open(sys.argv[1], "rb") as file:
    (signature,) = PdfFileReader(file).embedded_signatures
    status = validate_pdf_signature(signature, context)
print(status.intact, status.valid, status.coverage.name)
"""


def _pdf_checks(data: bytes, tmp_path, code: str, institution) -> None:
    import sys

    import pypdfium2
    import zxingcpp

    from certificates.seal import seal_folder

    path = tmp_path / "degree.pdf"
    path.write_bytes(data)
    cert = seal_folder(institution.code) / "cert.pem"
    hanko = subprocess.run(
        [sys.executable, "-c", PYHANKO, str(path), str(cert)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert hanko == ["True", "True", "ENTIRE_FILE"]
    if shutil.which("pdfsig"):
        out = subprocess.run(
            ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "Signature Validation: Signature is Valid." in out
    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=3).to_pil()
    document.close()
    assert next(c.text for c in zxingcpp.read_barcodes(image)).endswith(f"/verify/{code}/")


def test_degree_journey(new_page, live_server, institution, worker, tmp_path) -> None:
    settings_of(institution)
    person, user, kind = graduate(institution)
    user.username = "alumnus"
    user.save()
    handler = officer(institution, "degreeofficer")

    # The alumnus, in Swedish on a phone: alumni mode, the page named after what he may apply for.
    page = slow_machine(new_page(locale="sv-SE", viewport=PHONE))
    login(page, live_server, "alumnus")
    # Alumni mode comes from an e-ID login (tests/people/test_oidc_login.py), or from a local
    # login once a degree is issued; before that, the session is put in the mode directly.
    update_session(page, **{PORTAL_MODE_KEY: "alumni"})
    open_page(page, f"{live_server.url}/alumni/")
    open_page(page, f"{live_server.url}/start/", status=404)
    open_page(page, f"{live_server.url}/degrees/")
    assert page.locator("h1").inner_text() == "Examen och bevis"
    clean(page, phone=True)
    open_page(page, f"{live_server.url}/degrees/apply/")
    page.locator(f"input[name='kind'][value='{kind.public_id}']").check()
    submit(page, "main form button[type='submit']")
    assert page.url.endswith("/degrees/apply/courses/")
    assert page.locator(".alert--success").inner_text() == "De valda kurserna uppfyller alla krav."
    clean(page, phone=True)
    submit(page, "button[name='next']")
    page.locator("input[name='delivery'][value='digital']").check()
    submit(page, "main form button[type='submit']")
    assert page.url.endswith("/degrees/apply/confirm/")
    clean(page, phone=True)
    submit(page, "main form.card button[type='submit']")
    case = DegreeCase.objects.get(person=person)
    assert page.url == f"{live_server.url}/degrees/cases/{case.public_id}/"
    clean(page, phone=True)

    # The officer, in English on a laptop: the case, re-authentication, the decision.
    staff = slow_machine(new_page(locale="en-US", viewport=LAPTOP))
    login(staff, live_server, handler.username)
    open_page(staff, f"{live_server.url}/staff/degrees/")
    clean(staff, phone=False)
    open_page(staff, f"{live_server.url}/staff/degrees/{case.public_id}/")
    assert "The chosen courses meet every requirement." in staff.content()
    clean(staff, phone=False)
    submit(staff, "form[action$='/issue/'] button[type='submit']")
    assert "/accounts/reauthenticate/" in staff.url
    staff.locator("input[name='password']").fill(DEMO_PASSWORD)
    submit(staff, "main form button[type='submit']")
    case.refresh_from_db()
    assert case.state == CaseState.ISSUED
    degree = IssuedDegree.objects.get(case=case)

    # The real worker renders and seals the PDF.
    document = wait_for(
        lambda: (d := Certificate.objects.get(pk=degree.document_id)).state == "ready" and d, 90
    )
    assert document, Certificate.objects.get(pk=degree.document_id).failure
    open_page(page, f"{live_server.url}/degrees/{degree.public_id}/")
    href = page.locator("a[href$='/document.pdf']").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}").body()
    _pdf_checks(pdf, tmp_path, document.display_code, institution)

    # He shares it; someone logged out opens the share.
    submit(page, "form[action$='/shares/'] button[type='submit']")
    code = page.locator(".course-item__title.certificate-code").first.inner_text().strip()
    clean(page, phone=True)
    recipient = slow_machine(new_page(locale="en-US", viewport=PHONE))
    number = display(person.identity_number)

    def ask() -> None:
        open_page(recipient, f"{live_server.url}/shared/")
        recipient.locator("input[name='code']").fill(code)
        recipient.locator("input[name='identity_number']").fill(number)
        submit(recipient, "main form button[type='submit']")

    ask()
    assert recipient.locator("h1").inner_text() == "Shared degree"
    assert "Degree of Bachelor of Science" in recipient.content()
    assert "MATK11" in recipient.content()
    clean(recipient, phone=True)
    recipient.set_viewport_size(LAPTOP)
    clean(recipient, phone=False)

    # Revoked: the same request is refused.
    submit(page, "form[action$='/revoke/'] button[type='submit']")
    ask()
    assert recipient.locator("h1").inner_text() == "See a shared degree"
    assert recipient.locator(".alert--error").count() == 1
