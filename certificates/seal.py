"""The university's electronic seal on issued documents (S-DEG-6, S-CERT-2, B-5).

Each university's seal lives in ``SEAL_DIR/<institution code>/``: ``key.pem``, ``cert.pem`` and,
when a CA issued the certificate, ``chain.pem`` with the intermediates; or ``seal.p12``, a PKCS#12
file with key, certificate and chain, whose password is ``SEAL_PKCS12_PASSWORD``. ``seal_pdf``
puts a PAdES signature on a rendered PDF, so any PDF reader can check it offline; with
``SEAL_TSA_URL`` it carries an RFC 3161 timestamp and its validation data (PAdES B-LT).
``inspect_pdf`` tells the public verification page whether an uploaded file is a document exactly
as we sealed it.

Without a key the demo generates a self-signed one (``SEAL_DEMO_KEYS``), marked as a demo seal in
its certificate's name. Production turns that off: then a demo seal found in ``SEAL_DIR`` is never
used (``SealUnavailable``), and ``check --deploy`` reports it (certificates.checks).
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
PKCS12_FILE = "seal.p12"
# The demo's certificates are named "<university> (demo seal)": how a demo seal is known.
DEMO_MARK = "(demo seal)"
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
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} {DEMO_MARK}"),
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
    folder = seal_folder(code)
    if (folder / PKCS12_FILE).is_file():
        signer = _load_pkcs12(folder)
    else:
        if settings.SEAL_DEMO_KEYS and not (folder / KEY_FILE).exists():
            ensure_demo_seal(code, name or code)
        signer = _load_pem(code, folder)
    if not settings.SEAL_DEMO_KEYS and is_demo_certificate(signer.signing_cert):
        raise SealUnavailable(
            f"The seal in {folder} is a demo seal, and SEAL_DEMO_KEYS is off: documents are "
            "never sealed with a demo key in production. Put the university's own key and "
            "certificate there (docs/configuration.md, SEAL_DIR)."
        )
    return signer


def key_folders() -> list[Path]:
    """The folders of SEAL_DIR that hold a key: the seals documents are sealed with."""
    root = Path(settings.SEAL_DIR)
    if not root.is_dir():
        return []
    return sorted(
        folder
        for folder in root.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(_TMP_PREFIX)
        and ((folder / KEY_FILE).exists() or (folder / PKCS12_FILE).exists())
    )


def certificate_of(folder: Path):
    """The seal certificate of a key folder (asn1crypto), or SealUnavailable."""
    from pyhanko.keys import load_cert_from_pemder

    if (folder / PKCS12_FILE).is_file():
        return _load_pkcs12(folder).signing_cert
    try:
        return load_cert_from_pemder(str(folder / CERT_FILE))
    except Exception as error:  # missing or unreadable: the seal cannot be used
        raise SealUnavailable(f"{folder / CERT_FILE} cannot be read: {error}") from error


def is_demo_certificate(cert) -> bool:
    """Whether an (asn1crypto) certificate is one the demo made for itself."""
    return _common_name(cert).endswith(DEMO_MARK)


def _load_pkcs12(folder: Path) -> "SimpleSigner":
    from pyhanko.sign import signers

    chain = folder / CHAIN_FILE
    signer = signers.SimpleSigner.load_pkcs12(
        str(folder / PKCS12_FILE),
        ca_chain_files=[str(chain)] if chain.is_file() else None,
        passphrase=settings.SEAL_PKCS12_PASSWORD.encode() or None,
    )
    if signer is None:  # pyHanko logs the cause and answers None
        raise SealUnavailable(
            f"{folder / PKCS12_FILE} cannot be read: a damaged file or the wrong "
            "SEAL_PKCS12_PASSWORD."
        )
    return signer


def _load_pem(code: str, folder: Path) -> "SimpleSigner":
    from pyhanko.sign import signers

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
    """The PDF with the university's PAdES seal added as an incremental update; with a timestamp
    authority configured, timestamped and with its validation data embedded (PAdES B-LT)."""
    from pyhanko.sign import fields, signers

    from certificates.pdfa import PdfA3Writer

    signer = signer_for(code, name)
    timestamper = _timestamper()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    writer = PdfA3Writer(io.BytesIO(pdf))
    sealed = signers.sign_pdf(writer, metadata, signer=signer, timestamper=timestamper).getvalue()
    if timestamper is None:
        return sealed
    return _with_validation_data(sealed, signer)


def _with_validation_data(sealed: bytes, signer: "SimpleSigner") -> bytes:
    """LTV (PAdES B-LT): the certificate paths of the seal and its timestamp, with the
    revocation information their issuers publish, in a Document Security Store added as one
    more revision, so the seal can be checked after its certificate has expired."""
    import asyncio

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info

    from certificates.pdfa import ValidationDataWriter

    context = _signing_context(signer)
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    paths = asyncio.run(collect_validation_info(signature, context))
    writer = ValidationDataWriter(io.BytesIO(sealed))
    DocumentSecurityStore.supply_dss_in_writer(
        writer, None, paths=paths, validation_context=context
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _timestamper():
    if not settings.SEAL_TSA_URL:
        return None
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(settings.SEAL_TSA_URL, timeout=10)


def tsa_roots() -> list:
    """The certificates SEAL_TSA_ROOTS names: what the timestamp authority's chain (and a
    seal CA's, for its revocation data) is trusted to."""
    if not settings.SEAL_TSA_ROOTS:
        return []
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([settings.SEAL_TSA_ROOTS]))


def _signing_context(signer: "SimpleSigner"):
    """What the validation data embedded at sealing is gathered against: the seal certificate
    itself (as on the verification page), its chain and the timestamp authority's roots;
    revocation information is fetched from the certificates' own addresses."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[signer.signing_cert, *tsa_roots()],
        other_certs=list(signer.cert_registry),
        allow_fetching=True,
    )


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
    if not _padding_untouched(data, signature):
        return BROKEN_SEAL
    return _check(signature)


def _padding_untouched(data: bytes, signature: "EmbeddedPdfSignature") -> bool:
    """The one part of the file no seal covers is its own /Contents: the signature, then zeros
    reserved for it. A changed zero is still a changed file, which the signature check cannot
    see."""
    try:
        start, length, end, _ = (int(n) for n in signature.byte_range)
        contents = bytes.fromhex(data[start + length + 1 : end - 1].decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return False
    if len(contents) < 2 or contents[0] != 0x30:  # a DER SEQUENCE
        return False
    if contents[1] < 0x80:
        header, size = 2, contents[1]
    else:
        count = contents[1] & 0x7F
        header, size = 2 + count, int.from_bytes(contents[2 : 2 + count], "big")
    return not any(contents[header + size :])


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
        covers_whole_file=(
            status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            or (
                status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                and _only_validation_data_after(signature)
            )
        ),
        signer=_common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
    )


def _only_validation_data_after(signature: "EmbeddedPdfSignature") -> bool:
    """Whether every revision after the seal's only adds validation data: the catalog gains a
    /DSS and nothing else changes, and every object the revision writes is the catalog or lies
    under that /DSS. The update that embeds a timestamped seal's validation data (PAdES B-LT) is
    such a revision; a changed title, page or form field is not."""
    reader = signature.reader
    root_ref = reader.root_ref
    later = range(signature.signed_revision + 1, reader.xrefs.total_revisions)
    if not later:
        return False  # bytes after the seal that are no revision at all
    try:
        for revision in later:
            before = reader.get_historical_root(revision - 1)
            after = reader.get_historical_root(revision)
            if _without_dss(before) != _without_dss(after) or "/DSS" not in after:
                return False
            resolver = reader.get_historical_resolver(revision)
            allowed = _references_under(after.raw_get("/DSS"), resolver) | {root_ref}
            for ref in reader.xrefs.explicit_refs_in_revision(revision) - allowed:
                # The revision's own cross-reference stream is bookkeeping, not content.
                if resolver.get_object(ref).get("/Type") != "/XRef":
                    return False
    except Exception:  # anything unreadable in a later revision: changed
        logger.debug("Later revisions of an uploaded file could not be read", exc_info=True)
        return False
    return True


def _without_dss(catalog) -> dict:
    return {key: catalog.raw_get(key) for key in catalog if key != "/DSS"}


def _references_under(value, resolver) -> set:
    """Every indirect reference reachable from `value` (the /DSS and its arrays and dicts)."""
    from pyhanko.pdf_utils import generic

    found: set = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, generic.IndirectObject):
            if item.reference in found:
                continue
            found.add(item.reference)
            item = resolver.get_object(item.reference)
        if isinstance(item, generic.DictionaryObject):
            todo.extend(item.raw_get(key) for key in item)
        elif isinstance(item, generic.ArrayObject):
            todo.extend(item.raw_get(i) for i in range(len(item)))
    return found


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
    for path in sorted(Path(settings.SEAL_DIR).glob(f"*/{PKCS12_FILE}")):
        # The certificate of a PKCS#12 seal, from the signer each process keeps once read.
        try:
            roots.append(signer_for(path.parent.name).signing_cert)
        except Exception:  # as above: the other seals still count
            logger.warning("Seal %s cannot be read", path, exc_info=True)
    return roots


def _common_name(cert) -> str:
    if cert is None:
        return ""
    value = cert.subject.native.get("common_name", "")
    return value if isinstance(value, str) else ", ".join(value)
