"""The worker's side of a certificate (S-CERT-2, S-CERT-4, B-2, B-5), in-process with the real
WeasyPrint, segno and pyHanko: one sealed PDF/A per certificate whatever happens to workers
(leases, late finishers, files of dead attempts), retries of what a retry mends and a plain
failure for what it does not, the sweeper for lost tasks, the e-mail when ready, and a document
whose text, QR code and seal say what the frozen content says."""

import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from certificates import pipeline, seal, services
from certificates.models import Certificate, CertificateKind, CertificateState, RenderStep
from certificates.pipeline import MAX_ATTEMPTS, Leased
from certificates.tasks import MAX_RETRIES, backoff, render_certificate, requeue_stalled
from notifications.models import Notification
from tests.factories.catalog import CourseInstanceFactory, ModuleFactory
from tests.factories.certificates import certified, create_certificate, transcript_student

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents")]

LUND = "Lund University"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def queued(institution, *, courses=2, language="en", person_language="en", **options):
    """A certificate as the service leaves it: content frozen, waiting for the worker (the
    render task queued on commit is not run: the test runs the worker's part itself)."""
    student = transcript_student(institution, courses=courses)
    student.person.language = person_language
    student.person.save(update_fields=["language"])
    return create_certificate(
        student.user, student.person, institution, language=language, **options
    )


def row(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def stored_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "certificates"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def pdf_bytes(certificate: Certificate) -> bytes:
    with default_storage.open(row(certificate).pdf.name, "rb") as file:
        return file.read()


@pytest.fixture
def produce(django_capture_on_commit_callbacks):
    """The worker's produce() with what it schedules after commit run too (removing files,
    delivering the e-mail), as in a real worker outside a test transaction."""

    def run(certificate: Certificate):
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.produce(certificate.pk)

    return run


# --- Produce: exactly one ready file -------------------------------------------------------------


def test_produce_makes_a_ready_certificate_with_its_file_hash_and_pages(institution, produce):
    """S-CERT-4: rendered, sealed and stored by the worker; the SHA-256 is the stored file's."""
    certificate = queued(institution)

    result = produce(certificate)

    done = row(certificate)
    data = pdf_bytes(certificate)
    assert result.pk == done.pk
    assert (done.state, done.step, done.attempts, done.lease_until, done.failure) == (
        CertificateState.READY,
        RenderStep.WAITING,
        1,
        None,
        "",
    )
    assert done.pdf.name == f"certificates/{done.public_id}-1.pdf"
    assert done.sha256 == hashlib.sha256(data).hexdigest()
    assert done.page_count == len(_pages(data)) == 1
    assert done.ready_at is not None
    assert data.startswith(b"%PDF-")
    assert stored_files() == [f"{done.public_id}-1.pdf"]


def test_produce_again_changes_nothing(institution, produce):
    """S-CERT-3: opening it again gives the very same document; a second delivery of the task
    is a no-op."""
    certificate = queued(institution)
    produce(certificate)
    first = row(certificate)
    data = pdf_bytes(certificate)

    assert produce(certificate) is None

    again = row(certificate)
    assert (again.pdf.name, again.sha256, again.attempts, again.ready_at) == (
        first.pdf.name,
        first.sha256,
        1,
        first.ready_at,
    )
    assert pdf_bytes(certificate) == data
    assert stored_files() == [f"{first.public_id}-1.pdf"]
    assert Notification.objects.filter(kind="certificate_ready").count() == 1


# --- Leases ---------------------------------------------------------------------------------------


def test_claim_of_a_row_another_worker_holds_raises_leased(institution):
    certificate = queued(institution)
    pipeline.claim(certificate.pk, lease=120)

    with pytest.raises(Leased) as leased:
        pipeline.claim(certificate.pk, lease=120)

    assert 100 < leased.value.remaining <= 120
    held = row(certificate)
    assert (held.state, held.step, held.attempts) == (
        CertificateState.RENDERING,
        RenderStep.LAYOUT,
        1,
    )


def test_an_expired_lease_is_taken_over_and_counts_an_attempt(institution):
    """A worker killed mid-render leaves its lease to run out; the next worker claims the row."""
    certificate = queued(institution)
    pipeline.claim(certificate.pk, lease=120)
    Certificate.objects.filter(pk=certificate.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )

    claimed = pipeline.claim(certificate.pk, lease=120)

    assert claimed.attempts == 2
    assert claimed.lease_until > timezone.now() + datetime.timedelta(seconds=100)
    assert row(certificate).state == CertificateState.RENDERING


@pytest.mark.parametrize("state", [CertificateState.READY, CertificateState.FAILED])
def test_claim_has_nothing_to_do_for_a_ready_or_failed_row(institution, state):
    certificate = queued(institution)
    fields = {"state": state}
    if state == CertificateState.READY:
        fields |= {"pdf": "certificates/x.pdf", "sha256": "0" * 64}
    Certificate.objects.filter(pk=certificate.pk).update(**fields)

    assert pipeline.claim(certificate.pk, lease=120) is None
    assert pipeline.claim(certificate.pk + 1000, lease=120) is None
    assert row(certificate).attempts == 0


def test_the_task_looks_again_when_the_lease_of_another_worker_ends(institution):
    """tasks: Leased is not a failure; the task comes back just after the lease runs out, even
    when its retries for real errors are spent."""
    certificate = queued(institution)
    pipeline.claim(certificate.pk, lease=120)

    for retries in (0, MAX_RETRIES):
        with pytest.raises(Retry) as retry:
            render_certificate.apply(args=(certificate.pk,), retries=retries)
        assert 100 < retry.value.when <= 121

    held = row(certificate)
    assert (held.state, held.attempts, held.failure) == (CertificateState.RENDERING, 1, "")


# --- Late finishers and files of earlier attempts --------------------------------------------


def test_a_late_finisher_deletes_its_own_file_and_keeps_the_first(
    institution, produce, django_capture_on_commit_callbacks
):
    """Two attempts both stored a file: the one that finished first is the certificate; the
    late one deletes its own file after commit and sends no second e-mail."""
    certificate = queued(institution)
    stale = pipeline.claim(certificate.pk, lease=120)
    Certificate.objects.filter(pk=certificate.pk).update(
        state=CertificateState.QUEUED, lease_until=None
    )
    produce(certificate)
    first = row(certificate)
    late_name = default_storage.save(_attempt_file(stale), ContentFile(b"%PDF-late"))

    with django_capture_on_commit_callbacks(execute=True):
        kept = pipeline.finish(stale, late_name, hashlib.sha256(b"%PDF-late").hexdigest(), 1)

    assert (kept.pdf.name, kept.sha256, kept.page_count) == (
        first.pdf.name,
        first.sha256,
        first.page_count,
    )
    assert (row(certificate).pdf.name, row(certificate).sha256) == (first.pdf.name, first.sha256)
    assert stored_files() == [f"{first.public_id}-2.pdf"]
    assert Notification.objects.filter(kind="certificate_ready").count() == 1


def _attempt_file(certificate: Certificate) -> str:
    return f"certificates/{certificate.public_id}-{certificate.attempts}.pdf"


def test_files_of_earlier_attempts_are_removed_when_one_finishes(institution, produce):
    """A worker that died after storing and before finishing left its file; the attempt that
    finishes removes it, and never another certificate's file."""
    certificate = queued(institution)
    other = queued(institution)
    Certificate.objects.filter(pk=certificate.pk).update(attempts=1)
    for name in (f"{certificate.public_id}-1.pdf", f"{other.public_id}-1.pdf"):
        default_storage.save(f"certificates/{name}", ContentFile(b"%PDF-dead worker"))

    produce(certificate)

    done = row(certificate)
    assert done.pdf.name == f"certificates/{certificate.public_id}-2.pdf"
    assert stored_files() == sorted([f"{certificate.public_id}-2.pdf", f"{other.public_id}-1.pdf"])


# --- Errors: release, give up, fail --------------------------------------------------------------


@pytest.fixture
def broken_store(settings, tmp_path):
    """The file store is away: MEDIA_ROOT is a file, so storing raises an OSError."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker
    return blocker


def test_an_error_in_produce_puts_the_row_back_in_the_queue(institution, broken_store):
    """Not killed but failed: the row goes back at once instead of waiting out the lease."""
    certificate = queued(institution)

    with pytest.raises(OSError):
        pipeline.produce(certificate.pk)

    back = row(certificate)
    assert (back.state, back.step, back.lease_until, back.attempts) == (
        CertificateState.QUEUED,
        RenderStep.WAITING,
        None,
        1,
    )
    assert (back.pdf.name, back.sha256) == ("", "")


def test_release_by_a_worker_whose_row_was_taken_over_changes_nothing(institution):
    certificate = queued(institution)
    first = pipeline.claim(certificate.pk, lease=120)
    Certificate.objects.filter(pk=certificate.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    second = pipeline.claim(certificate.pk, lease=120)

    pipeline.release(first)

    assert (row(certificate).state, row(certificate).attempts) == (CertificateState.RENDERING, 2)
    pipeline.release(second)
    assert row(certificate).state == CertificateState.QUEUED


def test_a_released_row_is_fresh_in_the_queue(institution):
    """After an error the task retries on its own: the sweeper must not count the time the
    failed render took as time lost in the queue, or it hands the row to a second worker."""
    certificate = queued(institution)
    claimed = pipeline.claim(certificate.pk, lease=300)
    # The render took three minutes before it failed.
    Certificate.objects.filter(pk=certificate.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(minutes=3)
    )

    pipeline.release(claimed)

    assert row(certificate).state == CertificateState.QUEUED
    assert pipeline.stalled(timezone.now(), queued_for=datetime.timedelta(minutes=2)) == []


def test_after_max_attempts_the_certificate_fails_and_a_retry_starts_anew(institution, produce):
    """S-CERT-4: given up after MAX_ATTEMPTS claims; the student's retry renders it."""
    certificate = queued(institution)
    Certificate.objects.filter(pk=certificate.pk).update(attempts=MAX_ATTEMPTS)

    assert produce(certificate) is None

    gave_up = row(certificate)
    assert (gave_up.state, gave_up.failure, gave_up.lease_until) == (
        CertificateState.FAILED,
        f"gave up after {MAX_ATTEMPTS} attempts",
        None,
    )

    services.retry(gave_up.created_by, gave_up)
    produce(certificate)

    done = row(certificate)
    assert (done.state, done.check_code, done.attempts) == (
        CertificateState.READY,
        certificate.check_code,
        1,
    )


def test_a_permanent_error_fails_the_certificate_with_its_reason(institution, settings, caplog):
    """No seal key and demo keys off (production without its key): a retry cannot mend it, so
    the row fails at once with the reason for staff and nothing is stored. The task does not
    raise (a portal running tasks in the request shows the failed certificate, not an error
    page); the traceback is in the log."""
    settings.SEAL_DEMO_KEYS = False
    certificate = queued(institution)

    render_certificate.delay(certificate.pk)

    (logged,) = [r for r in caplog.records if r.name == "certificates.tasks"]
    assert logged.exc_info[0] is seal.SealUnavailable

    failed = row(certificate)
    assert failed.state == CertificateState.FAILED
    assert failed.failure.startswith("SealUnavailable: No seal for 'lu'")
    assert (failed.attempts, failed.lease_until, failed.pdf.name) == (1, None, "")
    assert stored_files() == []


def test_a_transient_error_is_retried_with_backoff(institution, broken_store):
    """An OSError of the file store: the task asks to run again later (Celery's eager mode
    raises the Retry), the row back in the queue meanwhile."""
    certificate = queued(institution)

    with pytest.raises(Retry) as first:
        render_certificate.delay(certificate.pk)
    for retries in (1, 2, 3):
        with pytest.raises(Retry) as retry:
            render_certificate.apply(args=(certificate.pk,), retries=retries)
        assert retry.value.when == backoff(retries)

    assert first.value.when == backoff(0) == 10
    waiting = row(certificate)
    assert (waiting.state, waiting.attempts, waiting.failure) == (CertificateState.QUEUED, 4, "")


def test_when_the_retries_are_spent_the_certificate_fails(institution, broken_store):
    """The last delivery (request.retries == MAX_RETRIES) marks the row failed, with the
    reason for staff, instead of asking for another retry."""
    certificate = queued(institution)

    render_certificate.apply(args=(certificate.pk,), retries=MAX_RETRIES)

    failed = row(certificate)
    assert (failed.state, failed.attempts, failed.lease_until) == (
        CertificateState.FAILED,
        1,
        None,
    )
    assert failed.failure.startswith("NotADirectoryError: ")


def test_fail_never_undoes_a_ready_certificate(institution, produce):
    certificate = queued(institution)
    produce(certificate)

    pipeline.fail(certificate.pk, "late error of another delivery")

    assert (row(certificate).state, row(certificate).failure) == (CertificateState.READY, "")


# --- The sweeper ----------------------------------------------------------------------------------


@pytest.fixture
def rows_of_every_kind(institution):
    """A queued row whose task was lost, one just queued, a rendering row whose worker died,
    one being rendered now, and a ready and a failed one."""
    now = timezone.now()
    lost, fresh, dead, live, ready, failed = (queued(institution, courses=1) for _ in range(6))
    Certificate.objects.filter(pk=lost.pk).update(
        state_changed_at=now - datetime.timedelta(minutes=15)
    )
    Certificate.objects.filter(pk=dead.pk).update(
        state=CertificateState.RENDERING,
        attempts=1,
        lease_until=now - datetime.timedelta(seconds=5),
        state_changed_at=now - datetime.timedelta(minutes=5),
    )
    Certificate.objects.filter(pk=live.pk).update(
        state=CertificateState.RENDERING,
        attempts=1,
        lease_until=now + datetime.timedelta(seconds=100),
        state_changed_at=now - datetime.timedelta(minutes=5),
    )
    old = {"state_changed_at": now - datetime.timedelta(hours=1)}
    Certificate.objects.filter(pk=ready.pk).update(
        state=CertificateState.READY, pdf="certificates/x.pdf", sha256="0" * 64, **old
    )
    Certificate.objects.filter(pk=failed.pk).update(state=CertificateState.FAILED, **old)
    return {"lost": lost, "fresh": fresh, "dead": dead, "live": live}


def test_stalled_finds_lost_and_dead_rows_only(rows_of_every_kind):
    found = pipeline.stalled(timezone.now(), queued_for=datetime.timedelta(minutes=2))

    assert sorted(found) == sorted([rows_of_every_kind["lost"].pk, rows_of_every_kind["dead"].pk])


def test_requeue_stalled_hands_them_to_a_worker(
    rows_of_every_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled.delay().get() == 2

    states = {name: row(c).state for name, c in rows_of_every_kind.items()}
    assert states == {
        "lost": CertificateState.READY,
        "dead": CertificateState.READY,
        "fresh": CertificateState.QUEUED,
        "live": CertificateState.RENDERING,
    }
    assert row(rows_of_every_kind["dead"]).attempts == 2


def test_a_sweep_sends_a_stalled_row_once_per_window(rows_of_every_kind):
    """A row re-sent by one sweep is not re-sent by the next while its task waits in a long
    queue: the sweep marks it queued as of now."""
    now = timezone.now()
    window = datetime.timedelta(minutes=10)

    first = pipeline.requeue(now, queued_for=window)
    second = pipeline.requeue(now + datetime.timedelta(minutes=1), queued_for=window)
    later = pipeline.requeue(now + datetime.timedelta(minutes=11), queued_for=window)

    expected = sorted([rows_of_every_kind["lost"].pk, rows_of_every_kind["dead"].pk])
    assert (sorted(first), second) == (expected, [])
    # A window later, still untaken: sent again (with the rows that have stalled since).
    assert set(expected) <= set(later)
    dead = row(rows_of_every_kind["dead"])
    assert (dead.state, dead.lease_until) == (CertificateState.QUEUED, None)


# --- The e-mail when ready (B-2) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting", "footer"),
    [
        ("sv", "Hej", "Meddelandet skickades automatiskt."),
        ("en", "Hello", "This message was sent automatically."),
    ],
)
def test_the_student_gets_one_email_in_their_language_with_the_link(
    institution, produce, language, greeting, footer
):
    """B-2: the student gets an e-mail in their language when a certificate is ready, once."""
    certificate = queued(institution, person_language=language, language="en")

    produce(certificate)
    produce(certificate)

    (notification,) = Notification.objects.filter(kind="certificate_ready")
    assert (notification.person, notification.to_email, notification.sent_at is not None) == (
        certificate.person,
        certificate.person.email,
        True,
    )
    assert notification.context["public_id"] == str(certificate.public_id)
    (message,) = mail.outbox
    assert message.to == [certificate.person.email]
    link = f"{settings.SITE_URL.rstrip('/')}/certificates/{certificate.public_id}/"
    assert link in message.body
    assert message.body.startswith(f"{greeting} {certificate.person.first_name},")
    assert footer in message.body
    # The kind is named in the student's language, not in the (English) certificate's, quoted
    # as that language quotes.
    quoted = {"sv": "”{}”", "en": '"{}"'}[language]
    with translation.override(language):
        assert quoted.format(CertificateKind(certificate.kind).label) in message.body


# --- The document ---------------------------------------------------------------------------------


def _pages(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data)).pages


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in _pages(data))


@pytest.mark.parametrize(
    ("language", "course", "module", "grade_name"),
    [("sv", "Analys", "Tentamen", "Godkänd"), ("en", "Calculus", "Written exam", "Pass")],
)
def test_the_pdf_says_what_the_content_says(
    institution, produce, language, course, module, grade_name
):
    """S-CERT-1, S-CERT-2: the student, the check code in display form, the courses with their
    grades, in the certificate's language."""
    student = transcript_student(institution, courses=1)
    instance = CourseInstanceFactory(
        course__institution=institution,
        course__code="MATA01",
        course__name_sv="Analys",
        course__name_en="Calculus",
        start_date=datetime.date(2025, 8, 25),
        end_date=datetime.date(2025, 10, 26),
    )
    exam = ModuleFactory(
        course=instance.course,
        code="0101",
        name_sv="Tentamen",
        name_en="Written exam",
        credits=Decimal("7.5"),
    )
    certified(student.person, exam, instance, examination_date=datetime.date(2025, 10, 20))
    certified(student.person, None, instance, examination_date=datetime.date(2025, 10, 26))
    certificate = create_certificate(student.user, student.person, institution, language=language)

    produce(certificate)

    text = _text(pdf_bytes(certificate))
    c = certificate.content
    assert c["student"]["name"] in text
    assert c["check_code"] in text
    assert c["student"]["identity_number"] in text
    assert "MATA01" in text
    for word in (course, module, grade_name, "2025-10-26", "2025-10-20"):
        assert word in text, word
    for other_course in c["body"]["universities"][0]["courses"]:
        assert other_course["name"] in text
    # G-6: credits in the language's convention (7,5 hp in Swedish).
    shown, other = ("7,5", "7.5") if language == "sv" else ("7.5", "7,5")
    assert shown in text
    assert other not in text


def test_the_sealed_pdf_holds_pdf_a_3b_and_is_tagged(institution, produce):
    """DESIGN.md § Documents, #16 point 5: PDF/A-3b, for archives, and tagged for screen
    readers. The seal is an incremental update: after it the file is still PDF 1.7 with one
    producer in Info and XMP, the declaration (XMP pdfaid) and the output intent survive, the
    seal is whole in poppler and pyHanko, and headings and tables are in the structure tree
    (tests/certificates/pdf_rules.py; what is and is not checked: docs/documents.md)."""
    from pypdf import PdfReader

    from tests.certificates import pdf_rules

    certificate = queued(institution, courses=2)
    produce(certificate)
    data = pdf_bytes(certificate)
    reader = PdfReader(io.BytesIO(data))

    assert pdf_rules.pdf_a_3b_violations(data) == []
    assert pdf_rules.tagged_pdf_violations(data) == []
    info = pdf_rules.pdfinfo(data)
    assert (info["PDF version"], info["Tagged"]) == ("1.7", "yes")
    assert info["Producer"].startswith("WeasyPrint ") and "; pyHanko " in info["Producer"]
    assert pdf_rules.pdfsig_valid(data)
    assert seal.inspect_pdf(data).valid
    roles = pdf_rules.structure_roles(data)
    assert {"H1", "Table", "TR", "TH", "TD"} <= set(roles), roles
    assert roles.index("H1") < roles.index("Table")

    xmp = reader.xmp_metadata
    declared = [
        node.value for name in ("part", "conformance") for node in xmp.get_element("", PDFAID, name)
    ]
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]

    assert declared == ["3", "B"]
    assert intent["/S"] == "/GTS_PDFA1"


def test_every_page_has_a_qr_code_to_the_verification_page_and_the_seal_holds(institution, produce):
    """S-CERT-2, B-5: a transcript of three pages or more carries the QR code with the
    verification link on every page, and the whole file carries the university's seal that
    pyHanko validates against the seal certificate in SEAL_DIR."""
    import pypdfium2
    import zxingcpp

    certificate = queued(institution, courses=36)
    produce(certificate)
    data = pdf_bytes(certificate)
    document = pypdfium2.PdfDocument(data)

    decoded = []
    for index in range(len(document)):
        image = document[index].render(scale=3).to_pil()
        decoded.append([barcode.text for barcode in zxingcpp.read_barcodes(image)])
    document.close()

    assert row(certificate).page_count == len(decoded) >= 3
    assert decoded == [[certificate.content["verify_url"]]] * len(decoded)
    report = seal.inspect_pdf(data)
    assert report.valid
    assert report.signer == f"{LUND} (demo seal)"
    assert (Path(settings.SEAL_DIR) / "lu" / "cert.pem").is_file()


def test_a_changed_byte_breaks_the_seal(institution, produce):
    """B-5 upload-to-compare: a file changed after sealing is not the document issued."""
    certificate = queued(institution, courses=1)
    produce(certificate)
    data = bytearray(pdf_bytes(certificate))
    position = data.index(b"/Producer")
    data[position + 1] = ord("p")

    assert seal.inspect_pdf(bytes(data)).valid is False
