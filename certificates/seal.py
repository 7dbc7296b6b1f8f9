"""The university's electronic seal on issued documents (S-DEG-6, S-CERT-2, B-5).

Each university's seal lives in ``SEAL_DIR/<institution code>/``: ``key.pem``, ``cert.pem`` and,
when a CA issued the certificate, ``chain.pem`` with the intermediates. ``seal_pdf`` puts a PAdES
signature on a rendered PDF, so any PDF reader can check it offline; ``inspect_pdf`` tells the
public verification page whether an uploaded file is a document exactly as we sealed it.

Without a key the demo generates a self-signed one (``SEAL_DEMO_KEYS``); production turns that off
and puts the real key in place (certificates.checks warns at ``check --deploy``).
"""

import datetime
import io
import logging
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from ladokportal import clock

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

logger = logging.getLogger(__name__)

FIELD_NAME = "Seal"
KEY_FILE = "key.pem"
CERT_FILE = "cert.pem"
CHAIN_FILE = "chain.pem"
# Anyone may upload to the verification page: bound the bytes pyHanko parses and hashes.
MAX_INSPECT_BYTES = 20 * 1024 * 1024
DEMO_VALIDITY = datetime.timedelta(days=3650)
# Institution.code is a slug; anything else must never become a path under SEAL_DIR.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Temporary folders of ensure_demo_seal start with this, and are never read as a seal.
_TMP_PREFIX = ".new-"


class SealUnavailable(Exception):
    """The university has no usable seal: its documents cannot be sealed."""


@dataclass(frozen=True)
class SealReport:
    """What an uploaded file says about its seal; ``valid`` means "the document as issued"."""

    sealed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.covers_whole_file


NOT_SEALED = SealReport(sealed=False, intact=False, trusted=False, covers_whole_file=False)
BROKEN_SEAL = SealReport(sealed=True, intact=False, trusted=False, covers_whole_file=False)

_signers: dict[tuple[str, str], "SimpleSigner"] = {}
_signers_lock = threading.Lock()


def seal_folder(code: str) -> Path:
    if not _CODE.fullmatch(code):
        raise ValueError(f"Not an institution code: {code!r}")
    return Path(settings.SEAL_DIR) / code


# --- Demo keys ------------------------------------------------------------------------------------


def ensure_demo_seal(code: str, name: str) -> Path:
    """Create a self-signed demo seal for the university unless it has a key; return its folder."""
    target = seal_folder(code)
    if (target / KEY_FILE).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final place and renamed in one step, so a racing process (the web
    # process and a worker) sees no folder or a complete one, never a key without certificate.
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=target.parent))
    try:
        _write_demo_seal(tmp, name or code)
        os.rename(tmp, target)
    except OSError:
        if not (target / KEY_FILE).exists():
            raise
        # Another process got there first: its key is the one every signer must use.
        logger.info("Demo seal for %s was created by another process", code)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the rename succeeded
    return target


def _write_demo_seal(folder: Path, name: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    passphrase = settings.SEAL_KEY_PASSPHRASE.encode()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write_private(folder / KEY_FILE, key_pem)
    cert = _demo_certificate(key, name)
    (folder / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_private(path: Path, data: bytes) -> None:
    # Owner-only from the first byte, not chmod afterwards.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _demo_certificate(key, name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (demo seal)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        ]
    )
    # From yesterday, so a clock a little behind on another machine still accepts it.
    start = clock.now() - datetime.timedelta(days=1)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation: pyHanko and readers require it for a seal
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + DEMO_VALIDITY)
        .add_extension(usage, critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


# --- Sealing --------------------------------------------------------------------------------------


def signer_for(code: str, name: str = "") -> "SimpleSigner":
    """The university's signer, read from disk once per process (``name`` only names a new
    demo seal)."""
    cache_key = (str(settings.SEAL_DIR), code)
    signer = _signers.get(cache_key)
    if signer is None:
        # Checked again under the lock, so two threads asking at once still read the key once.
        with _signers_lock:
            signer = _signers.get(cache_key)
            if signer is None:
                signer = _signers[cache_key] = _load_signer(code, name)
    return signer


def _load_signer(code: str, name: str) -> "SimpleSigner":
    from pyhanko.sign import signers

    folder = seal_folder(code)
    if settings.SEAL_DEMO_KEYS and not (folder / KEY_FILE).exists():
        ensure_demo_seal(code, name or code)
    for required in (folder / KEY_FILE, folder / CERT_FILE):
        if not required.is_file():
            raise SealUnavailable(
                f"No seal for {code!r}: {required} is missing. Put the university's key and "
                "certificate there (docs/configuration.md, SEAL_DIR)."
            )
    chain = folder / CHAIN_FILE
    signer = signers.SimpleSigner.load(
        str(folder / KEY_FILE),
        str(folder / CERT_FILE),
        ca_chain_files=[str(chain)] if chain.is_file() else None,
        key_passphrase=settings.SEAL_KEY_PASSPHRASE.encode() or None,
    )
    if signer is None:  # pyHanko logs the cause and answers None
        raise SealUnavailable(
            f"The seal in {folder} cannot be read: a damaged file or the wrong SEAL_KEY_PASSPHRASE."
        )
    return signer


def seal_pdf(
    pdf: bytes, *, code: str, name: str = "", reason: str = "", location: str = ""
) -> bytes:
    """The PDF with the university's PAdES seal added as an incremental update."""
    from pyhanko.sign import fields, signers

    from certificates.pdfa import PdfA3Writer

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    writer = PdfA3Writer(io.BytesIO(pdf))
    return signers.sign_pdf(writer, metadata, signer=signer_for(code, name)).getvalue()


def clear_cache() -> None:
    with _signers_lock:
        _signers.clear()


# --- Checking an uploaded file --------------------------------------------------------------------


def inspect_pdf(data: bytes) -> SealReport:
    """Whether ``data`` carries an intact seal of one of our universities over the whole file.

    Never raises: uploads are anyone's bytes, and whatever cannot be read is simply not a
    document we sealed.
    """
    if not data or len(data) > MAX_INSPECT_BYTES:
        return NOT_SEALED
    signature = _first_signature(data)
    if signature is None:
        return NOT_SEALED
    return _check(signature)


def _first_signature(data: bytes) -> "EmbeddedPdfSignature | None":
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
        # The seal put on at issue is the first signature; anything after it is a later change.
        return signatures[0] if signatures else None
    except Exception:  # any parse failure of foreign bytes means "no seal we can see"
        logger.debug("Uploaded file is not a readable PDF", exc_info=True)
        return None


def _check(signature: "EmbeddedPdfSignature") -> SealReport:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        context = ValidationContext(trust_roots=_trust_roots())
        # Any later revision, allowed or not, means "not the document as issued", so pyHanko's
        # costly analysis of what a later revision changed is skipped.
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except Exception:  # a signature field whose contents cannot be checked is a broken seal
        logger.debug("Seal of an uploaded file could not be checked", exc_info=True)
        return BROKEN_SEAL
    return SealReport(
        sealed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=_common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
    )


def _trust_roots() -> list:
    """Every university's own seal certificate, read on each call so a demo seal created since
    (by any process) counts. The certificates themselves are the anchors, not their CA: a CA
    also certifies seals that are not ours."""
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in sorted(Path(settings.SEAL_DIR).glob(f"*/{CERT_FILE}")):
        if path.parent.name.startswith(_TMP_PREFIX):
            continue
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except Exception:  # one unreadable certificate must not stop the others
            logger.warning("Seal certificate %s cannot be read", path, exc_info=True)
    return roots


def _common_name(cert) -> str:
    if cert is None:
        return ""
    value = cert.subject.native.get("common_name", "")
    return value if isinstance(value, str) else ", ".join(value)
