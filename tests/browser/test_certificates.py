"""Certificates in the browser (S-CERT-1..4, B-5, G-1..3): a student with certified results
creates a transcript, waits for it, downloads it and reads its check code; then someone who is
not logged in checks it on /verify/ by the code, by the link and by uploading the PDF. In Swedish
and in English (the certificate in the page's language), on a laptop and at 360 px, axe clean,
and the same creation without JavaScript.

Tasks run in-process here (tests/conftest.py), so the render happens when the request that
created the certificate commits: the page the student lands on is ready. What the page shows
while a worker is still at it is set on the row (state and step, as the worker writes them), and
the htmx poll or the Refresh link then finds the certificate ready again.
"""

import pytest
from playwright.sync_api import Page, expect

from certificates import codes
from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateState,
    CheckMethod,
    RenderStep,
)
from tests.browser import (
    LAPTOP,
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_phone_ready,
    html_lang,
    login,
    open_menu,
    open_page,
    submit,
)
from tests.factories.certificates import Transcript, transcript_student

# Rendered files and the demo seal in the test's own folder (tests/conftest.py); the live server
# is this process, so it sees the same settings.
pytestmark = pytest.mark.usefixtures("documents")

LOCALES = pytest.mark.parametrize("locale", ["sv-SE", "en-US"], ids=["sv", "en"])
READY = "#certificate-state.certificate-state--ready"
IN_PROGRESS = "#certificate-state.certificate-state--rendering"
CODE_FORM = "form:has(input[name='form'][value='code'])"
UPLOAD_FORM = "form:has(input[name='form'][value='upload'])"


@pytest.fixture
def student(institution) -> Transcript:
    return transcript_student(institution, courses=2, modules=2)


def open_certificates(page: Page) -> None:
    """Through the menu, as a student finds the page."""
    open_menu(page)
    with page.expect_navigation(wait_until="load"):
        page.locator("details.menu a[href='/certificates/']").click()


def create_transcript(page: Page, language: str) -> None:
    page.locator("input[name='kind'][value='transcript']").check()
    page.locator(f"input[name='language'][value='{language}']").check()
    submit(page, "form.certificate-form button[type='submit']")


def set_state(certificate: Certificate, state: str, step: str = "") -> None:
    """The state and step as the worker writes them while it renders (pipeline.claim/_progress)."""
    Certificate.objects.filter(pk=certificate.pk).update(state=state, step=step)


def assert_clean_at_both_widths(page: Page) -> None:
    """Laptop first, then 360 px with the menu (assert_phone_ready); the page keeps its width."""
    page.set_viewport_size(LAPTOP)
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert_phone_ready(page)


def assert_clean(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


@LOCALES
def test_student_creates_a_transcript_and_anyone_verifies_it(
    new_page, live_server, student, locale: str
) -> None:
    language = locale[:2]
    page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, student.user.username)

    open_certificates(page)
    assert page.url == f"{live_server.url}/certificates/"
    assert page.locator(".certificate-list").count() == 0
    assert_clean_at_both_widths(page)

    create_transcript(page, language)
    certificate = Certificate.objects.get(person=student.person)
    assert page.url == f"{live_server.url}/certificates/{certificate.public_id}/"
    assert (certificate.language, html_lang(page)) == (language, language)
    expect(page.locator(READY)).to_be_visible()
    assert_clean_at_both_widths(page)

    # While the worker is at it: the steps, axe clean; the htmx poll swaps in the ready state.
    set_state(certificate, CertificateState.RENDERING, RenderStep.SEALING)
    page.reload(wait_until="load")
    expect(page.locator(IN_PROGRESS)).to_be_visible()
    assert page.locator(".certificate-steps__step--current").count() == 1
    assert_clean(page)
    set_state(certificate, CertificateState.READY)
    expect(page.locator(READY)).to_be_visible(timeout=10_000)

    # The document: the download link gives the sealed PDF; the check code is on the page.
    href = page.locator(f"{READY} a[href$='/document.pdf']").get_attribute("href")
    download = page.request.get(f"{live_server.url}{href}")
    pdf = download.body()
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert pdf.startswith(b"%PDF")
    code = page.locator(".certificate-code").inner_text().strip()
    assert code == certificate.display_code

    # Someone else, not logged in, checks it: by the code typed in, on a phone.
    public = new_page(locale=locale, viewport=PHONE)
    open_page(public, f"{live_server.url}/verify/")
    assert html_lang(public) == language
    assert_clean(public)
    public.locator(f"{CODE_FORM} input[name='code']").fill(code)
    submit(public, f"{CODE_FORM} button[type='submit']")
    assert_verified(public, code, student)
    assert_clean(public)

    # A code nobody was given: the form again, with the reason.
    unknown = codes.display(codes.new_code())
    open_page(public, f"{live_server.url}/verify/")
    public.locator(f"{CODE_FORM} input[name='code']").fill(unknown)
    with public.expect_navigation(wait_until="load") as navigation:
        public.locator(f"{CODE_FORM} button[type='submit']").click()
    assert navigation.value.status == 404
    expect(public.locator(f"{CODE_FORM} .field--error input[name='code']")).to_have_count(1)
    assert_clean(public)

    # The link printed on the document (and in its QR code).
    open_page(public, f"{live_server.url}/verify/{code}/")
    assert_verified(public, code, student)
    public.set_viewport_size(LAPTOP)
    assert_no_horizontal_scroll(public)
    public.set_viewport_size(PHONE)

    # The downloaded file, uploaded: exactly the issued document, its seal intact.
    open_page(public, f"{live_server.url}/verify/")
    public.locator(f"{UPLOAD_FORM} input[name='document']").set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    submit(public, f"{UPLOAD_FORM} button[type='submit']")
    identical = public.locator("section[aria-labelledby='verify-identical-heading']")
    sealed = public.locator("section[aria-labelledby='verify-seal-heading']")
    expect(identical.locator(".alert--success")).to_have_count(1)
    expect(sealed.locator(".alert--success")).to_have_count(1)
    assert public.locator(".verify-code").inner_text().strip() == code
    assert_clean(public)

    # B-5: the student sees each of the three checks on her certificate's page.
    methods = CertificateCheck.objects.filter(certificate=certificate).values_list(
        "method", flat=True
    )
    assert sorted(methods) == sorted(CheckMethod.values)
    page.reload(wait_until="load")
    checks = page.locator("section[aria-labelledby='certificate-checks'] li")
    expect(checks).to_have_count(3)


def assert_verified(page: Page, code: str, student: Transcript) -> None:
    """The public result: valid, the code, and the frozen content with the student's courses."""
    expect(page.locator(".alert--success")).to_have_count(1)
    assert page.locator(".verify-code").inner_text().strip() == code
    content = page.locator(".certificate-content").inner_text()
    assert f"{student.person.first_name} {student.person.last_name}" in content
    assert student.modules[0].course.code in content


def test_a_certificate_is_created_and_reached_by_refresh_without_javascript(
    new_page, live_server, student
) -> None:
    page = new_page(viewport=PHONE, java_script_enabled=False)
    login(page, live_server, student.user.username)
    open_certificates(page)

    create_transcript(page, "en")
    certificate = Certificate.objects.get(person=student.person)
    assert page.locator(".messages .alert--success").count() == 1

    # Still being created when the page was drawn: no poll without JavaScript, the Refresh link.
    set_state(certificate, CertificateState.QUEUED)
    page.reload(wait_until="load")
    refresh = page.locator(f"#certificate-state a[href='/certificates/{certificate.public_id}/']")
    expect(refresh).to_have_count(1)
    set_state(certificate, CertificateState.READY)
    with page.expect_navigation(wait_until="load"):
        refresh.click()

    expect(page.locator(f"{READY} a[href$='/document.pdf']")).to_have_count(1)
    assert page.locator(".certificate-code").inner_text().strip() == certificate.display_code
