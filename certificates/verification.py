"""The public check of a certificate (S-CERT-2, S-DEG-6, B-5): by its check code, typed or
followed from the link and QR code on the document, and by comparing an uploaded file with the
document as issued.

Anyone may ask, without logging in, so no university's scope applies: every read here lifts
django-scopes explicitly and finds a certificate by its check code or by its file's SHA-256,
nothing else. A check of an issued document leaves a line in the student's log (B-5), which
records when and how, never who.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Literal

from django_scopes import scopes_disabled

from certificates import codes, services
from certificates.content import part_template
from certificates.models import Certificate, CertificateState, CheckMethod
from certificates.seal import SealReport, inspect_pdf
from ladokportal import clock

# An issued certificate is a few pages; anything larger is not one of ours.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF"

# Which part template (templates/certificates/parts/) shows a certificate's frozen content.

SealState = Literal["valid", "missing", "broken", "unknown"]


@dataclass(frozen=True)
class Verified:
    """A certificate found by its code or its file, as the public page shows it."""

    certificate: Certificate
    today: datetime.date

    @property
    def content(self) -> dict:
        return self.certificate.content

    @property
    def part(self) -> str:
        return part_template(self.content["kind"])

    @property
    def issuer(self) -> str:
        """The issuer as the document names it (in the document's language)."""
        return self.content["issuer"]["name"]

    @property
    def issued_at(self) -> datetime.datetime:
        return self.certificate.created_at

    @property
    def valid_until(self) -> datetime.date:
        return self.certificate.valid_until

    @property
    def is_ready(self) -> bool:
        """Only a rendered and sealed document has been issued; before that there is nothing
        to verify or download."""
        return self.certificate.is_ready

    @property
    def revoked(self) -> bool:
        """Revoked by its issuer (a withdrawn degree): it no longer proves anything."""
        return self.certificate.revoked_at is not None

    @property
    def expires(self) -> bool:
        """A degree certificate does not expire; its snapshot has no validity date."""
        return bool(self.content.get("valid_until"))

    @property
    def is_valid(self) -> bool:
        return self.is_ready and not self.revoked and self.valid_until >= self.today


@dataclass(frozen=True)
class FileCheck:
    """What an uploaded file is: the issued document or not (by its SHA-256), and, separately,
    what its electronic seal says."""

    identical: Verified | None
    seal: SealReport

    @property
    def seal_state(self) -> SealState:
        seal = self.seal
        if not seal.sealed:
            return "missing"
        if not seal.intact or not seal.covers_whole_file:
            # Either the signed bytes changed, or something was added after sealing.
            return "broken"
        if not seal.trusted:
            return "unknown"
        return "valid"


def _by_code(text: str, *, with_content: bool) -> Certificate | None:
    """The certificate with this check code, or None for a code that is malformed or unknown
    (the same answer, so nothing helps guessing). One query, none for a malformed code."""
    code = codes.normalise(text)
    if code is None:
        return None
    with scopes_disabled():
        certificates = Certificate.objects.filter(check_code=code)
        if not with_content:
            certificates = certificates.defer("content", "options")
        return certificates.first()


def look_up(text: str, *, method: CheckMethod) -> Verified | None:
    """The certificate a check code names, the check logged when the document has been issued
    (B-5). Two queries: the lookup and the log line."""
    certificate = _by_code(text, with_content=True)
    if certificate is None:
        return None
    found = Verified(certificate, clock.today())
    if found.is_ready:
        with scopes_disabled():
            services.record_check(certificate, method)
    return found


def downloadable(text: str) -> Verified | None:
    """The certificate a check code names, for its PDF; nothing is logged (the page the link
    sits on was). One query."""
    certificate = _by_code(text, with_content=False)
    return None if certificate is None else Verified(certificate, clock.today())


def compare(data: bytes) -> FileCheck:
    """Whether `data` is exactly an issued document, and whether its seal holds. A match is
    logged as a check by upload. Two queries at most."""
    digest = hashlib.sha256(data).hexdigest()
    with scopes_disabled():
        certificate = Certificate.objects.filter(
            sha256=digest, state=CertificateState.READY
        ).first()
        if certificate is not None:
            services.record_check(certificate, CheckMethod.UPLOAD)
    identical = None if certificate is None else Verified(certificate, clock.today())
    return FileCheck(identical=identical, seal=inspect_pdf(data))
