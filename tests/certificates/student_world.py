"""Shared set-up of the student certificate page tests: a student with certified results, files and
seals in the test's own folder, and certificates made through the service (rendered for real
when asked)."""

import hashlib
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from certificates import pipeline, services
from certificates.models import Certificate, CheckMethod
from tests.factories.certificates import Transcript, create_certificate


def queued(me: Transcript, institution, **options) -> Certificate:
    """A certificate whose render has not run (its on_commit callback is dropped)."""
    options.setdefault("kind", "transcript")
    return create_certificate(me.user, me.person, institution, **options)


def rendered(me: Transcript, institution, capture, **options) -> Certificate:
    """A certificate rendered, sealed and stored by the (eager) worker task."""
    with capture(execute=True):
        certificate = queued(me, institution, **options)
    certificate.refresh_from_db()
    assert certificate.is_ready, certificate.failure
    return certificate


@cache
def _small_pdf() -> bytes:
    return pipeline.render_pdf("<title>Certificate</title><p>Certificate</p>").data


def finished(certificate: Certificate) -> Certificate:
    """Ready as the worker leaves it (stored file, hash, state), with a small PDF instead of the
    certificate's own layout and seal: for tests about the pages, not the document."""
    data = _small_pdf()
    name = default_storage.save(f"certificates/{certificate.public_id}-0.pdf", ContentFile(data))
    return pipeline.finish(certificate, name, hashlib.sha256(data).hexdigest(), 1)


def checked(certificate: Certificate, times: int) -> None:
    methods = list(CheckMethod.values)
    for n in range(times):
        services.record_check(certificate, methods[n % len(methods)])


def page_url(certificate: Certificate, tail: str = "") -> str:
    return f"/certificates/{certificate.public_id}/{tail}"
