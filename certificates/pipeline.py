"""The document pipeline (S-CERT-4, DESIGN.md § Documents): HTML → PDF/A with WeasyPrint, a QR
code and the check code on every page, the university's PAdES seal, the file and its SHA-256
stored, the row marked ready. Run by the worker (certificates.tasks); other documents (degrees,
invoices) reuse `render_pdf` and `certificates.seal`.

Exactly one ready file per certificate, whatever happens to workers:
- a worker claims the row under a row lock and takes a lease as long as the task's hard time
  limit, so a second delivery of the same task waits instead of rendering beside it;
- a worker killed mid-render leaves the lease to run out; the broker (acks late) or the sweeper
  (`requeue_stalled`) hands the task on, and the next worker claims the row again;
- the file is stored under a name of its own per attempt and the row is finished under the lock:
  a late second finisher deletes its own file, and the winner removes files of earlier attempts.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from certificates.models import Certificate, CertificateKind, CertificateState, RenderStep

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# The universities' letterhead emblems, <institution code>.svg (certificates/letterheads/README.md).
LETTERHEAD_DIR = Path(__file__).resolve().parent / "letterheads"
# After this many claims (worker deaths, time limits) a certificate is marked failed instead of
# being tried forever; the student can try again, which starts the count anew.
MAX_ATTEMPTS = 5


class Leased(Exception):
    """Another worker holds the row; try again when its lease has run out."""

    def __init__(self, remaining: float) -> None:
        super().__init__(f"leased for {remaining:.0f} more seconds")
        self.remaining = remaining


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def lease_seconds() -> int:
    """As long as the hardest time limit of a task, so a live render is never taken over."""
    return int(settings.CELERY_TASK_TIME_LIMIT) + 5


# --- Rendering (any document) -------------------------------------------------------------------


@cache
def _font_config():
    """Fonts shipped with the project (certificates/fonts), loaded once per process: the PDF
    looks the same on every machine, whatever fonts the system has."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(html: str) -> RenderedPdf:
    """PDF/A-3b (archival; room for attachments) from a self-contained HTML document."""
    from weasyprint import HTML

    fonts = _font_config()
    document = HTML(string=html, base_url=str(FONT_DIR)).render(font_config=fonts)
    # Tagged (headings, tables, lists and reading order in the structure tree) for screen readers;
    # docs/documents.md says what is checked of PDF/A-3b and PDF/UA.
    data = document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    return RenderedPdf(data=data, pages=len(document.pages))


def qr_data_uri(url: str) -> str:
    """The verification link as a QR code, drawn as SVG so it stays sharp when printed."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0)


@cache
def letterhead_logo(code: str) -> str:
    """The university's emblem as a data URI for the letterhead, "" when it has none. Any
    document of the pipeline may pass it to its template."""
    import base64

    path = LETTERHEAD_DIR / f"{code}.svg"
    if not code.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode()


def certificate_html(certificate: Certificate) -> str:
    content = certificate.content
    with translation.override(content["language"]):
        return render_to_string(
            f"certificates/pdf/{content['kind']}.html",
            {
                "c": content,
                "qr": qr_data_uri(content["verify_url"]),
                "font_dir": FONT_DIR.as_uri(),
                "logo": letterhead_logo(content["issuer"]["code"]),
            },
        )


# --- The certificate's life in the worker -------------------------------------------------------


def claim(pk: int, *, lease: int) -> Certificate | None:
    """The row, locked and marked as being rendered by this worker; None when there is nothing
    to do (ready already, failed and waiting for the student, or gone)."""
    now = timezone.now()
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("institution")
            .filter(pk=pk)
            .first()
        )
        if certificate is None or certificate.state in (
            CertificateState.READY,
            CertificateState.FAILED,
        ):
            return None
        if certificate.state == CertificateState.RENDERING and (
            certificate.lease_until is not None and certificate.lease_until > now
        ):
            raise Leased((certificate.lease_until - now).total_seconds())
        if certificate.attempts >= MAX_ATTEMPTS:
            _set_failed(certificate, f"gave up after {certificate.attempts} attempts")
            return None
        certificate.state = CertificateState.RENDERING
        certificate.step = RenderStep.LAYOUT
        certificate.attempts += 1
        certificate.lease_until = now + datetime.timedelta(seconds=lease)
        certificate.state_changed_at = now
        certificate.save(
            update_fields=["state", "step", "attempts", "lease_until", "state_changed_at"]
        )
        return certificate


def _progress(certificate: Certificate, step: str) -> None:
    """Shown on the student's page while it polls; a plain update, no lock needed."""
    Certificate.objects.filter(pk=certificate.pk, state=CertificateState.RENDERING).update(
        step=step
    )


def _attempt_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.public_id}-{certificate.attempts}.pdf"


def produce(pk: int, *, lease: int | None = None) -> Certificate | None:
    """Render, seal, store and finish one certificate. Safe to call any number of times."""
    from certificates import seal

    certificate = claim(pk, lease=lease or lease_seconds())
    if certificate is None:
        return None
    try:
        pdf = render_pdf(certificate_html(certificate))
        _progress(certificate, RenderStep.SEALING)
        issuer = certificate.content["issuer"]
        sealed = seal.seal_pdf(
            pdf.data,
            code=certificate.institution.code,
            name=certificate.institution.name_en or certificate.institution.name_sv,
            reason=certificate.content["title"],
            location=issuer["name"],
        )
        _progress(certificate, RenderStep.STORING)
        name = default_storage.save(_attempt_name(certificate), ContentFile(sealed))
    except BaseException:
        # Not killed but failed: hand the row back at once instead of waiting out the lease.
        release(certificate)
        raise
    return finish(certificate, name, hashlib.sha256(sealed).hexdigest(), pdf.pages)


def finish(certificate: Certificate, name: str, sha256: str, pages: int) -> Certificate:
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.state == CertificateState.READY:
            # Another attempt finished first; its file is the certificate.
            transaction.on_commit(lambda: default_storage.delete(name))
            return locked
        locked.pdf.name = name
        locked.sha256 = sha256
        locked.page_count = pages
        locked.state = CertificateState.READY
        locked.step = ""
        locked.lease_until = None
        locked.failure = ""
        locked.ready_at = locked.state_changed_at = timezone.now()
        locked.save()
        _notify_ready(locked)
        transaction.on_commit(lambda: _remove_other_attempts(locked))
    return locked


def release(certificate: Certificate) -> None:
    """Back to the queue after an error, if this worker still holds it. Queued from now: the
    task retries by itself, and `stalled` must not take the time the failed render took for
    time lost in the queue."""
    Certificate.objects.filter(
        pk=certificate.pk, state=CertificateState.RENDERING, attempts=certificate.attempts
    ).update(
        state=CertificateState.QUEUED, step="", lease_until=None, state_changed_at=timezone.now()
    )


def fail(pk: int, reason: str) -> None:
    """Retries are spent or the error is not one a retry mends: the student sees a plain
    message and a button that queues the same certificate again."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=pk).first()
        if certificate is not None and certificate.state != CertificateState.READY:
            _set_failed(certificate, reason)


def _set_failed(certificate: Certificate, reason: str) -> None:
    logger.error("certificate %s failed: %s", certificate.public_id, reason)
    certificate.state = CertificateState.FAILED
    certificate.step = ""
    certificate.lease_until = None
    certificate.failure = reason[:500]
    certificate.state_changed_at = timezone.now()
    certificate.save(update_fields=["state", "step", "lease_until", "failure", "state_changed_at"])


def _remove_other_attempts(certificate: Certificate) -> None:
    """Files of attempts whose worker died after storing and before finishing."""
    directory, own = certificate.pdf.name.rsplit("/", 1)
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return
    prefix = f"{certificate.public_id}-"
    for file in files:
        if file.startswith(prefix) and file != own:
            default_storage.delete(f"{directory}/{file}")


def _notify_ready(certificate: Certificate) -> None:
    """B-2: the student learns by e-mail that the certificate is ready, in their language."""
    from notifications.services import notify

    # The e-mail is in the student's language, which may differ from the certificate's: keep
    # the kind's name in both and let the message pick.
    titles = {}
    for language in ("sv", "en"):
        with translation.override(language):
            titles[f"title_{language}"] = str(CertificateKind(certificate.kind).label)
    notify(
        certificate.person,
        "certificate_ready",
        context={"kind": certificate.kind, "public_id": str(certificate.public_id), **titles},
    )


def _stalled_rows(now: datetime.datetime, queued_for: datetime.timedelta):
    from django.db.models import Q

    return Certificate.objects.filter(
        Q(state=CertificateState.QUEUED, state_changed_at__lt=now - queued_for)
        | Q(state=CertificateState.RENDERING, lease_until__lt=now)
    )


def stalled(now: datetime.datetime, *, queued_for: datetime.timedelta) -> list[int]:
    """Rows no worker is working on: queued too long (a lost message), or rendering with a lease
    that ran out (a worker that died)."""
    return list(_stalled_rows(now, queued_for).values_list("pk", flat=True)[:500])


def requeue(now: datetime.datetime, *, queued_for: datetime.timedelta) -> list[int]:
    """The stalled rows, marked queued as of now before their tasks are sent again: the next
    sweep sends a row again only if nobody took it within `queued_for`, so a long queue at the
    start of term does not fill up with copies of the same task. Rows a worker is claiming
    right now are locked and skipped."""
    with transaction.atomic():
        pks = list(
            _stalled_rows(now, queued_for)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:500]
        )
        Certificate.objects.filter(pk__in=pks).update(
            state=CertificateState.QUEUED, step="", lease_until=None, state_changed_at=now
        )
    return pks
