"""Certificates made by a real Celery worker process against PostgreSQL and Redis (S-CERT-1,
S-CERT-2, S-CERT-4, B-2): a student asks on the web, the worker renders, seals and stores the
PDF, and the file the student downloads carries the certified results, the check code, a seal
pyHanko trusts and a QR code that leads to the public check. The content is frozen when asked
for; a worker killed mid-render or a task delivered twice still leaves exactly one file.

The workers are tests.worker's: skipped without REDIS_URL and PostgreSQL, failed instead under
REQUIRE_WORKER=1.
"""

import datetime
import hashlib
import io
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates import seal
from certificates.models import Certificate, CertificateState
from certificates.tasks import render_certificate
from ladokportal import clock
from ladokportal.celery import app as celery_app
from results.models import Result
from tests.factories import CourseInstanceFactory
from tests.factories.certificates import certified, create_certificate, transcript_student
from tests.factories.results import register
from tests.worker import (  # noqa: F401 - the `worker` and `start_workers` fixtures
    start_workers_fixture,
    wait_for,
    worker_fixture,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Short limits, so that a lease runs out within the test: the lease is the worker's hard limit
# + 5 s (pipeline.lease_seconds), 15 s here. The visibility timeout stays above hard limit and
# lease, as in settings (tests/certificates/test_limits.py). Celery puts the sender's limits in
# each message and the worker applies those (and takes its lease from them): the `short_limits`
# fixture makes this test process send them too.
LIMITS = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "CELERY_TASK_TIME_LIMIT": "10",
    "CELERY_VISIBILITY_TIMEOUT": "20",
}
LEASE = datetime.timedelta(seconds=15)


@pytest.fixture
def short_limits(monkeypatch):
    """Tasks sent from this process carry the workers' short limits, so the lease a worker takes
    (certificates.tasks._lease follows the message's limit) runs out within the test. A task
    reads its limits from the configuration once, when it is bound, and caches them with its
    other send options on the first send: set them on the task and drop that cache."""
    monkeypatch.setattr(
        render_certificate, "soft_time_limit", int(LIMITS["CELERY_TASK_SOFT_TIME_LIMIT"])
    )
    monkeypatch.setattr(render_certificate, "time_limit", int(LIMITS["CELERY_TASK_TIME_LIMIT"]))
    monkeypatch.setattr(render_certificate, "_exec_options", None)


def _row(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def _ready(certificate: Certificate, seconds: float = 60.0) -> Certificate:
    row = wait_for(lambda: (row := _row(certificate)).state in ("ready", "failed") and row, seconds)
    assert row, f"not ready after {seconds:.0f} s: {_row(certificate).state}"
    assert row.state == CertificateState.READY, row.failure
    return row


def _download(client: Client, certificate: Certificate) -> bytes:
    response = client.get(reverse("certificate_download", args=[certificate.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    response.close()
    return data


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _qr_codes(data: bytes) -> list[str]:
    """The QR codes on page 1, read from the page rendered as an image (as a phone would)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        image = page.render(scale=3).to_pil()
        page.close()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def _pyhanko_status(data: bytes, cert_path: Path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return validate_pdf_signature(signature, context)


def _files(certificate: Certificate) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "certificates").glob(f"{certificate.public_id}-*"))


def _certified_courses(person) -> list[str]:
    """Each course's row as the PDF's text reads it: code, name, credits, grade with its code
    (S-CERT-1: "Pass (G)"), date. The courses are renamed first, so that no name is part of
    another."""
    rows = []
    for n, result in enumerate(
        Result.objects.filter(person=person, module=None).select_related(
            "course_instance__course", "grade"
        )
    ):
        course = result.course_instance.course
        course.name_en = f"Thermodynamics {chr(ord('A') + n)}"
        course.save(update_fields=["name_en"])
        rows.append(
            f"{course.code} {course.name_en} {course.credits.normalize():f} "
            f"{result.grade.name_en} ({result.grade.code}) {result.examination_date.isoformat()}"
        )
    return rows


def _warm_up(institution, processes: int = 1) -> None:
    """One small certificate per pool process, all at once, so that each has loaded WeasyPrint,
    its fonts, pyHanko and the seal before the test proper. A first render on a busy machine
    can take longer than these tests' soft limit (8 s) or lease (15 s); the tests are about
    deaths and deliveries, not about that."""
    someone = transcript_student(institution, courses=1, modules=1)
    made = [create_certificate(someone.user, someone.person, institution) for _ in range(processes)]
    for certificate in made:
        _ready(certificate)


# --- Through the web ----------------------------------------------------------------------------


def test_student_asks_on_the_web_and_downloads_a_sealed_transcript_with_a_working_qr_code(
    worker, institution
):
    me = transcript_student(institution, courses=3, modules=1)
    courses = _certified_courses(me.person)
    client = Client()
    client.force_login(me.user)

    response = client.post(
        reverse("certificates"),
        {
            "kind": "transcript",
            "language": "en",
            "include_modules": "on",
            "request_key": str(uuid.uuid4()),
        },
    )

    certificate = Certificate.objects.get(person=me.person)
    assert response.status_code == 302
    assert response.url == reverse("certificate", args=[certificate.public_id])
    download = reverse("certificate_download", args=[certificate.public_id])
    # What the student's page polls, until the worker is done.
    status = reverse("certificate_status", args=[certificate.public_id])
    assert wait_for(lambda: download in client.get(status).text, 60, every=0.5), _row(
        certificate
    ).failure
    certificate = _row(certificate)
    assert certificate.is_ready
    assert download in client.get(response.url).text
    data = _download(client, certificate)
    assert hashlib.sha256(data).hexdigest() == certificate.sha256

    text = _text(data)
    assert "Transcript of records" in text
    assert me.person.last_name in text
    assert set(courses) <= set(text.splitlines()), text
    assert certificate.display_code in text

    assert seal.inspect_pdf(data).valid
    status_ = _pyhanko_status(data, Path(settings.SEAL_DIR) / institution.code / "cert.pem")
    assert (status_.intact, status_.valid, status_.trusted, status_.bottom_line) == (
        True,
        True,
        True,
        True,
    )

    verify_url = certificate.content["verify_url"]
    assert _qr_codes(data) == [verify_url]
    assert verify_url.startswith(settings.SITE_URL)
    assert urlsplit(verify_url).path == reverse(
        "verify_code", kwargs={"code": certificate.display_code}
    )
    # B-2: and an e-mail says it is ready.
    assert wait_for(lambda: list(worker.mail_dir.glob("*.log")), 30)


# --- The content is frozen when asked for -------------------------------------------------------


def test_a_certificate_shows_the_results_of_the_day_it_was_asked_for_not_of_its_rendering(
    start_workers, institution
):
    me = transcript_student(institution, courses=2, modules=1)
    # Both are asked for before any worker runs: the first is rendered after the new result
    # exists, and must not show it.
    before = create_certificate(me.user, me.person, institution, include_modules=True)
    instance = CourseInstanceFactory(
        course__institution=institution,
        course__name_en="Quantum Chromodynamics",
        start_date=clock.today() - datetime.timedelta(days=60),
        end_date=clock.today() - datetime.timedelta(days=5),
    )
    register(me.person, instance)
    certified(me.person, None, instance, examination_date=instance.end_date)
    after = create_certificate(me.user, me.person, institution, include_modules=True)
    start_workers()

    client = Client()
    client.force_login(me.user)
    old, new = (_text(_download(client, _ready(c))) for c in (before, after))

    assert "Quantum Chromodynamics" not in old
    assert "Quantum Chromodynamics" in new


# --- Workers that die, deliveries that come twice -----------------------------------------------


def test_a_worker_killed_mid_render_leaves_one_ready_file_made_by_the_next_worker(
    start_workers, institution, short_limits
):
    """Worker A is killed (SIGKILL, with its pool) while it renders; worker B makes the document
    once A's lease has run out. B gets the task from `certificates.requeue_stalled`, which beat
    sends every two minutes in production: the broker would hand the unacknowledged task on by
    itself as well, but kombu's Redis transport looks for such tasks only every 100 seconds
    (unacked_restore_interval × throttle), too slow for a test."""
    worker_a = start_workers(LIMITS, pool="prefork", concurrency=1)
    # A national transcript of three pages, made while A starts. The row is marked rendering
    # before WeasyPrint is even loaded, so A dies mid-render whatever the size; ten pages would
    # only make the test slower (4 s a render on the two-core machine, docs/performance.md).
    me = transcript_student(institution, courses=24, modules=2)
    certificate = create_certificate(
        me.user, me.person, institution, kind="national_transcript", include_modules=True
    )

    rendering = wait_for(
        lambda: (row := _row(certificate)).state == CertificateState.RENDERING and row,
        30,
        every=0.05,
    )
    assert rendering, _row(certificate).state
    worker_a.kill()

    row = _row(certificate)
    assert (row.state, row.attempts, row.is_ready) == (CertificateState.RENDERING, 1, False)
    assert not row.pdf
    assert _files(certificate) == []
    assert row.lease_until <= timezone.now() + LEASE

    start_workers(LIMITS, pool="prefork", concurrency=1)
    _warm_up(institution)  # B has been running for a while, as workers do
    # What beat sends, once the lease of the dead worker has run out.
    time.sleep(max(0.0, (row.lease_until - timezone.now()).total_seconds()) + 0.5)
    celery_app.send_task("certificates.requeue_stalled")

    row = _ready(certificate, 60)
    assert Certificate.objects.filter(person=me.person).count() == 1
    assert row.attempts >= 2
    assert row.ready_at > rendering.lease_until
    files = _files(certificate)
    assert [f.name for f in files] == [Path(row.pdf.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == row.sha256
    assert seal.inspect_pdf(files[0].read_bytes()).valid


def _outcomes(worker) -> dict[str, str]:
    """The last word of the worker's log on each render task: received, retry or succeeded."""
    found = re.compile(rf"Task {re.escape(render_certificate.name)}\[([0-9a-f-]+)\] (\w+)")
    outcomes: dict[str, str] = {}
    for match in found.finditer(worker.log()):
        outcomes[match[1]] = match[2].rstrip(":")
    return outcomes


def test_the_same_certificate_delivered_twice_to_a_worker_of_two_processes_makes_one_file(
    start_workers, institution, short_limits
):
    worker = start_workers(LIMITS, pool="prefork", concurrency=2, loglevel="INFO")
    me = transcript_student(institution, courses=2, modules=1)
    _warm_up(institution, processes=2)
    earlier = set(_outcomes(worker))

    certificate = create_certificate(me.user, me.person, institution)  # sent after commit
    render_certificate.delay(certificate.pk)  # and once more

    _ready(certificate)

    # The second delivery either found the row ready, or found it leased and came back once
    # the lease was over (pipeline.Leased): either way it ends without a file of its own.
    def both_done() -> bool:
        ours = [word for task, word in _outcomes(worker).items() if task not in earlier]
        return ours == ["succeeded", "succeeded"]

    assert wait_for(both_done, LEASE.total_seconds() + 20), worker.log()
    row = _row(certificate)
    assert (row.state, row.attempts) == (CertificateState.READY, 1)
    files = _files(certificate)
    assert [f.name for f in files] == [Path(row.pdf.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == row.sha256
