"""The public verification pages (S-CERT-2, S-DEG-6, B-5): anyone, without logging in, checks a
certificate by its check code (typed in any spelling, or the link and QR code of the document) and
by uploading its PDF. A found certificate shows its frozen content, its issuer, its validity and
the sealed PDF while valid; a wrong and a malformed code get the same 404; an upload says whether
the file is the issued document and, apart from that, whether its seal holds. Every check of an
issued document leaves one line in the student's log, without who checked. Lookups and uploads
are rate-limited per client address.

Certificates are rendered, sealed and stored by the real pipeline (the eager worker task)."""

import datetime
import hashlib
import re
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from certificates import codes, services, verification
from certificates.models import Certificate, CertificateCheck, CheckMethod
from ladokportal import clock
from people.models import StaffRoleKind
from tests.factories import StaffRoleFactory, UserFactory
from tests.factories.certificates import Transcript, create_certificate, transcript_student

pytestmark = pytest.mark.django_db

NOT_FOUND = "No certificate has this check code. Check that you typed it as it is printed."


@pytest.fixture
def student(institution) -> Transcript:
    return transcript_student(institution, courses=2, modules=2)


def rendered(student: Transcript, institution, capture, **options) -> Certificate:
    """A certificate rendered, sealed and stored by the (eager) worker task."""
    with capture(execute=True):
        certificate = create_certificate(student.user, student.person, institution, **options)
    certificate.refresh_from_db()
    assert certificate.is_ready, certificate.failure
    return certificate


@pytest.fixture
def issued(student, institution, documents, django_capture_on_commit_callbacks) -> Certificate:
    return rendered(student, institution, django_capture_on_commit_callbacks)


def pdf_of(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as file:
        return file.read()


def checks(certificate: Certificate) -> list[str]:
    return list(
        CertificateCheck.objects.filter(certificate=certificate)
        .order_by("id")
        .values_list("method", flat=True)
    )


def issued_on(certificate: Certificate) -> str:
    return clock.date_of(certificate.created_at).isoformat()


def post_code(client: Client, code: str):
    return client.post("/verify/", {"form": "code", "code": code})


def upload(client: Client, data: bytes, name: str = "certificate.pdf"):
    document = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post("/verify/", {"form": "upload", "document": document})


def main(response) -> str:
    """The page's <main>, without the per-response CSRF token."""
    text = response.content.decode()
    body = text[text.index("<main") : text.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def field_error(response, field: str) -> str:
    pattern = rf'<div class="field__error" id="id_{field}_error">(.*?)</div>'
    match = re.search(pattern, main(response))
    assert match, "no error shown at the field"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def unknown_code() -> str:
    """A well-formed check code (right check character) that no certificate has."""
    while True:
        code = codes.new_code()
        if not Certificate.objects.filter(check_code=code).exists():
            return code


def with_wrong_check_character(code: str) -> str:
    last = codes.ALPHABET[(codes.ALPHABET.index(code[-1]) + 1) % len(codes.ALPHABET)]
    return code[:-1] + last


# --- Anyone, without login ------------------------------------------------------------------------


def test_start_page_explains_and_offers_both_checks_without_login():
    response = Client().get("/verify/")

    page = main(response)
    assert response.status_code == 200
    assert "<h1>Verify a certificate</h1>" in page
    assert '<input type="hidden" name="form" value="code">' in page
    assert '<input type="hidden" name="form" value="upload">' in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_code">Check code' in page
    assert '<label for="id_document">PDF file' in page
    assert 'aria-describedby="id_code_helptext"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_link_shows_the_frozen_content_issuer_validity_and_logs_one_link_check(issued):
    content = issued.content
    course = content["body"]["universities"][0]["courses"][0]

    response = Client().get(f"/verify/{issued.display_code}/")

    page = main(response)
    assert response.status_code == 200
    assert f"This is a valid certificate, issued by Lund University on {issued_on(issued)}." in page
    assert f"<dt>Valid until</dt><dd>{issued.valid_until.isoformat()}</dd>" in page
    assert "<dt>Status</dt><dd>Valid</dd>" in page
    assert f'href="/verify/{issued.display_code}/document.pdf"' in page
    assert 'class="certificate-content" role="region"' in page
    assert 'lang="en"' in page
    assert f"<dd>{escape(content['student']['name'])}</dd>" in page
    assert f"<dd>{content['student']['identity_number']}</dd>" in page
    assert f"<strong>{escape(course['name'])}</strong>" in page
    assert checks(issued) == [CheckMethod.LINK]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(codes.display, id="as printed"),
        pytest.param(lambda code: code.lower(), id="lower case"),
        pytest.param(lambda code: " ".join(codes.display(code).split("-")), id="spaces"),
        pytest.param(lambda code: f"  {codes.display(code).lower()}  ", id="padded"),
        pytest.param(lambda code: code, id="without dashes"),
    ],
)
def test_typed_code_in_any_spelling_shows_the_certificate_and_logs_one_code_check(spelling, issued):
    response = post_code(Client(), spelling(issued.check_code))

    assert response.status_code == 200
    assert "This is a valid certificate, issued by Lund University" in main(response)
    assert checks(issued) == [CheckMethod.CODE]


def test_logged_in_student_and_staff_see_the_same_and_change_nothing_else(
    issued, student, institution, other_institution, client_for
):
    staff = UserFactory(username="siv")
    # A study administrator elsewhere: her session's university is not the certificate's.
    StaffRoleFactory(user=staff, institution=other_institution, role=StaffRoleKind.STUDY_ADMIN)
    anonymous = main(Client().get(f"/verify/{issued.display_code}/"))

    for client in (client_for(student.user), client_for(staff)):
        link = client.get(f"/verify/{issued.display_code}/")
        typed = post_code(client, issued.check_code)
        compared = upload(client, pdf_of(issued))

        assert (link.status_code, typed.status_code, compared.status_code) == (200, 200, 200)
        assert main(link) == anonymous
        assert "This file is exactly the document issued by Lund University" in main(compared)
    assert (
        checks(issued)
        == [CheckMethod.LINK]
        + [
            CheckMethod.LINK,
            CheckMethod.CODE,
            CheckMethod.UPLOAD,
        ]
        * 2
    )
    assert Certificate.objects.get(pk=issued.pk).state == issued.state


# --- Wrong codes ----------------------------------------------------------------------------------


def test_unknown_and_malformed_codes_get_the_same_not_found(issued):
    wrong = {
        "unknown": codes.display(unknown_code()),
        "wrong check character": codes.display(with_wrong_check_character(issued.check_code)),
        "too short": issued.display_code[:-2],
        "not a code": "hello",
    }

    answers = {}
    for name, code in wrong.items():
        link = Client().get(f"/verify/{code}/")
        typed = post_code(Client(), code)
        assert (link.status_code, typed.status_code) == (404, 404), name
        assert field_error(link, "code") == NOT_FOUND
        assert field_error(typed, "code") == NOT_FOUND
        answers[name] = main(typed).replace(f'value="{escape(code)}"', 'value=""')
    assert len(set(answers.values())) == 1
    assert checks(issued) == []


def test_download_with_an_unknown_code_is_not_found():
    response = Client().get(f"/verify/{codes.display(unknown_code())}/document.pdf")

    assert response.status_code == 404
    assert field_error(response, "code") == NOT_FOUND


def test_empty_code_asks_for_one():
    response = post_code(Client(), "  ")

    assert response.status_code == 400
    assert field_error(response, "code") == "Enter the check code."
    assert 'aria-describedby="id_code_helptext id_code_error"' in main(response)
    assert 'aria-invalid="true"' in main(response)


# --- Validity and readiness -----------------------------------------------------------------------


def test_expired_certificate_says_no_longer_valid_and_refuses_the_download(issued):
    ended = clock.today() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=issued.pk).update(valid_until=ended)

    page = Client().get(f"/verify/{issued.display_code}/")
    download = Client().get(f"/verify/{issued.display_code}/document.pdf")

    assert page.status_code == 200
    assert f"This certificate is no longer valid: it expired on {ended.isoformat()}." in main(page)
    assert f"<dt>Status</dt><dd>No longer valid (expired on {ended.isoformat()})</dd>" in main(page)
    assert "document.pdf" not in main(page)
    # Past its validity the content (identity number, grades) is shown to nobody.
    assert 'class="certificate-content"' not in main(page)
    assert issued.person.last_name not in main(page)
    assert download.status_code == 404
    assert f"This certificate is no longer valid: it expired on {ended.isoformat()}." in main(
        download
    )
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert checks(issued) == [CheckMethod.LINK]


def test_certificate_valid_through_today_can_still_be_downloaded(issued):
    Certificate.objects.filter(pk=issued.pk).update(valid_until=clock.today())

    response = Client().get(f"/verify/{issued.display_code}/document.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_certificate_not_yet_ready_says_it_is_being_created(student, institution, documents):
    queued = create_certificate(student.user, student.person, institution)  # render never runs

    page = Client().get(f"/verify/{queued.display_code}/")
    typed = post_code(Client(), queued.check_code)
    download = Client().get(f"/verify/{queued.display_code}/document.pdf")

    being_created = "This certificate is being created. It can be checked when it is ready"
    assert (page.status_code, typed.status_code, download.status_code) == (200, 200, 404)
    assert being_created in main(page)
    assert being_created in main(download)
    assert escape(queued.content["student"]["name"]) not in main(page)
    assert 'class="certificate-content"' not in main(page)
    assert checks(queued) == []


def test_log_line_keeps_when_and_how_never_who(issued):
    post_code(Client(REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Recruiter"), issued.check_code)

    (line,) = CertificateCheck.objects.filter(certificate=issued).values()
    assert set(line) == {"id", "institution_id", "certificate_id", "at", "method"}
    assert "192.0.2.44" not in str(line)


def test_download_gives_the_sealed_pdf_as_an_attachment_and_logs_nothing(issued):
    response = Client().get(f"/verify/{issued.display_code}/document.pdf")

    data = b"".join(response.streaming_content)  # the test client closes the file after it
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-of-records-{issued.display_code}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert checks(issued) == []


# --- Upload to compare ----------------------------------------------------------------------------


def test_upload_of_the_issued_pdf_is_identical_with_an_intact_seal_and_logs_one_check(issued):
    response = upload(Client(), pdf_of(issued))

    page = main(response)
    assert response.status_code == 200
    assert (
        f"This file is exactly the document issued by Lund University on {issued_on(issued)}."
        in page
    )
    assert (
        "The seal is intact: the file has not been changed since Lund University (demo seal) "
        "sealed it." in page
    )
    assert f"<strong>{escape(issued.content['body']['universities'][0]['courses'][0]['name'])}" in (
        page
    )
    assert checks(issued) == [CheckMethod.UPLOAD]


def test_upload_with_one_byte_changed_is_not_identical_and_its_seal_is_broken(issued):
    data = bytearray(pdf_of(issued))
    # A character of the rendered document's own bytes, covered by the seal.
    position = data.index(b"WeasyPrint")
    data[position] = ord("w")

    response = upload(Client(), bytes(data))

    page = main(response)
    assert response.status_code == 200
    assert "This file is not identical to any document issued here." in page
    assert "The seal is broken: the file was changed after it was sealed." in page
    assert "certificate-content" not in page
    assert checks(issued) == []


def test_upload_of_an_unsealed_pdf_says_it_has_no_seal(issued):
    from certificates.pipeline import render_pdf

    response = upload(Client(), render_pdf("<title>Copy</title><p>Transcript</p>").data)

    assert "This file is not identical to any document issued here." in main(response)
    assert "The file has no electronic seal." in main(response)
    assert checks(issued) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Just text, not a PDF.", "The file is not a PDF document."),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "The file is not a PDF document."),
        (
            b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024),
            "The file is larger than 10 MB, so it is not a document issued here.",
        ),
        (b"", "The submitted file is empty."),
    ],
    ids=["text", "image", "over 10 MB", "empty"],
)
def test_upload_of_a_non_pdf_or_too_large_file_is_refused_and_logs_nothing(data, message, issued):
    response = upload(Client(), data)

    assert response.status_code == 400
    assert field_error(response, "document").startswith(message)
    assert 'aria-describedby="id_document_helptext id_document_error"' in main(response)
    assert checks(issued) == []


def test_a_body_far_over_10_mb_is_refused_before_it_is_read(issued):
    """The declared length decides: the server never receives and stores a huge upload."""
    response = Client().post("/verify/", {"form": "upload"}, CONTENT_LENGTH=str(200 * 1024 * 1024))

    assert response.status_code == 413
    assert field_error(response, "document").startswith(
        "The file is larger than 10 MB, so it is not a document issued here."
    )
    assert checks(issued) == []


def test_upload_without_a_file_asks_for_one():
    response = Client().post("/verify/", {"form": "upload"})

    assert response.status_code == 400
    assert field_error(response, "document") == "Choose the PDF file to compare."


def test_exactly_10_mb_is_accepted(issued):
    data = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 - 9)

    response = upload(Client(), data)

    assert response.status_code == 200
    assert "This file is not identical to any document issued here." in main(response)


# --- Rate limits ----------------------------------------------------------------------------------


@pytest.fixture
def one_window(monkeypatch):
    """django-ratelimit counts in fixed windows: the test's requests all fall in one."""
    from django_ratelimit import core

    now = 1_800_000_000.0
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now))


def test_lookups_beyond_the_rate_answer_429_whichever_way_they_come(issued, settings, one_window):
    settings.VERIFY_RATE = "3/m"
    client = Client()

    allowed = [
        client.get(f"/verify/{issued.display_code}/").status_code,
        post_code(client, issued.check_code).status_code,
        post_code(client, "not a code").status_code,
    ]
    refused = [
        client.get(f"/verify/{issued.display_code}/"),
        post_code(client, issued.check_code),
        client.get(f"/verify/{issued.display_code}/document.pdf"),
    ]

    assert allowed == [200, 200, 404]
    assert [r.status_code for r in refused] == [429, 429, 429]
    assert "<h1>Too many attempts</h1>" in main(refused[0])
    assert refused[0]["Retry-After"] == "60"
    assert checks(issued) == [CheckMethod.LINK, CheckMethod.CODE]
    # Another address has its own count; the start page and uploads are not lookups.
    assert Client(REMOTE_ADDR="192.0.2.7").get(f"/verify/{issued.display_code}/").status_code == 200
    assert client.get("/verify/").status_code == 200
    assert upload(client, pdf_of(issued)).status_code == 200


def test_the_default_rate_refuses_the_31st_lookup_in_a_minute(issued, one_window):
    client = Client()

    statuses = [post_code(client, "not a code").status_code for _ in range(31)]

    assert statuses == [404] * 30 + [429]


def test_uploads_beyond_their_rate_answer_429_and_log_nothing(issued, settings, one_window):
    settings.VERIFY_UPLOAD_RATE = "2/m"
    client = Client()
    data = pdf_of(issued)

    statuses = [upload(client, data).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert checks(issued) == [CheckMethod.UPLOAD] * 2
    assert client.get(f"/verify/{issued.display_code}/").status_code == 200


def test_behind_a_trusted_proxy_each_client_address_has_its_own_count(issued, settings, one_window):
    settings.VERIFY_RATE = "1/m"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = f"/verify/{issued.display_code}/"

    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1").get(url)
    again = Client(HTTP_X_FORWARDED_FOR="198.51.100.1").get(url)
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.2").get(url)

    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)


# --- Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("courses", "earlier_checks"), [(1, 0), (6, 5)])
def test_code_page_query_count_does_not_grow(
    courses,
    earlier_checks,
    institution,
    documents,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    student = transcript_student(institution, courses=courses, modules=2)
    certificate = rendered(student, institution, django_capture_on_commit_callbacks)
    for _ in range(earlier_checks):
        services.record_check(certificate, CheckMethod.LINK)
    client = Client()

    # The certificate by its code, the line in the log.
    with django_assert_num_queries(2):
        link = client.get(f"/verify/{certificate.display_code}/")
    with django_assert_num_queries(2):
        typed = post_code(client, certificate.check_code)

    assert (link.status_code, typed.status_code) == (200, 200)


@pytest.mark.parametrize("earlier_checks", [0, 5])
def test_upload_query_count_does_not_grow(earlier_checks, issued, django_assert_num_queries):
    for _ in range(earlier_checks):
        services.record_check(issued, CheckMethod.LINK)
    data = pdf_of(issued)
    client = Client()

    # The certificate by its file's SHA-256, the line in the log; nothing for a stranger's file.
    with django_assert_num_queries(2):
        identical = upload(client, data)
    with django_assert_num_queries(1):
        different = upload(client, data + b"\n")

    assert "This file is exactly the document" in main(identical)
    assert "This file is not identical" in main(different)


def test_wrong_code_query_count(issued, django_assert_num_queries):
    client = Client()
    unknown = codes.display(unknown_code())

    # A well-formed code is looked up; a malformed one never reaches the database.
    with django_assert_num_queries(1):
        assert client.get(f"/verify/{unknown}/").status_code == 404
    with django_assert_num_queries(0):
        assert client.get("/verify/not-a-code/").status_code == 404


# --- Languages ------------------------------------------------------------------------------------


def test_page_in_swedish_shows_an_english_certificate_in_english(issued):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")

    response = client.get(f"/verify/{issued.display_code}/")

    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Hoppa till innehållet" in text
    region = main(response)[main(response).index('class="certificate-content"') :]
    assert region.startswith('class="certificate-content" role="region"')
    assert 'lang="en"' in region[:200]
    assert "<dt>Personal identity number</dt>" in region


def test_swedish_certificate_keeps_its_language_on_an_english_page(
    student, institution, documents, django_capture_on_commit_callbacks
):
    certificate = rendered(student, institution, django_capture_on_commit_callbacks, language="sv")

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{certificate.display_code}/")

    page = main(response)
    region = page[page.index('class="certificate-content"') :]
    assert '<html lang="en">' in response.content.decode()
    assert "<h1>Verification of a certificate</h1>" in page
    assert 'lang="sv"' in region[:200]
    assert "<dt>Personnummer</dt>" in region
    assert "This is a valid certificate, issued by Lunds universitet" in page


def test_language_switch_works_for_an_anonymous_visitor():
    client = Client()

    switched = client.post("/language/", {"language": "sv", "next": "/verify/"})
    page = client.get("/verify/")

    assert switched.status_code == 302
    assert switched["Location"] == "/verify/"
    assert '<html lang="sv">' in page.content.decode()


def test_too_many_attempts_in_swedish(issued, settings, one_window):
    settings.VERIFY_RATE = "1/m"
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.get(f"/verify/{issued.display_code}/")

    response = client.get(f"/verify/{issued.display_code}/")

    assert response.status_code == 429
    assert "<h1>För många försök</h1>" in main(response)


def test_verification_module_reads_without_any_scope(issued):
    from django_scopes import scope

    # As in a request of a visitor with no university: the scope opened is empty.
    with scope(institution=[]):
        found = verification.look_up(issued.display_code, method=CheckMethod.LINK)
        outcome = verification.compare(pdf_of(issued))

    assert found.certificate.pk == issued.pk
    assert outcome.identical.certificate.pk == issued.pk
    assert outcome.seal_state == "valid"
