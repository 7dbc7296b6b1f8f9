"""The university's seal on issued documents (S-DEG-6, S-CERT-2, B-5): a PAdES seal that pyHanko
and poppler accept, the key read once per process, demo keys made safely by racing processes, and
an upload check (upload-to-compare) that never calls a changed or foreign file valid."""

import datetime
import io
import os
import shutil
import subprocess
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.checks import Tags, run_checks

from certificates import seal
from certificates.checks import demo_seals_off
from ladokportal import clock

LUND = "Lund University"


@pytest.fixture(autouse=True)
def seal_dir(settings, tmp_path):
    settings.SEAL_DIR = tmp_path / "seals"
    settings.SEAL_DEMO_KEYS = True
    settings.SEAL_KEY_PASSPHRASE = ""
    seal.clear_cache()
    yield settings.SEAL_DIR
    seal.clear_cache()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    html = "<title>Transcript</title><h1>Transcript of records</h1><p>Lunds universitet</p>"
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture
def sealed(pdf) -> bytes:
    return seal.seal_pdf(
        pdf, code="lu", name=LUND, reason="Transcript of records", location="Lund, Sverige"
    )


def _pyhanko_status(data: bytes, cert_path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return signature.field_name, validate_pdf_signature(signature, context)


# --- Sealing ------------------------------------------------------------------------------------


def test_sealed_pdf_is_intact_trusted_and_covers_the_whole_file_for_pyhanko(pdf, sealed, seal_dir):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    field_name, status = _pyhanko_status(sealed, seal_dir / "lu" / "cert.pem")

    assert sealed.startswith(pdf)  # an incremental update: the rendered document is unchanged
    assert field_name == "Seal"
    assert (status.bottom_line, status.intact, status.valid, status.trusted) == (
        True,
        True,
        True,
        True,
    )
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "Lund University (demo seal)"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")
def test_poppler_reports_the_seal_valid_over_the_whole_document(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)

    out = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=True
    ).stdout

    assert "Signature Field Name: Seal" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out


def test_demo_seal_is_a_self_signed_seal_certificate_valid_ten_years(seal_dir):
    folder = seal.ensure_demo_seal("lu", LUND)

    cert = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
    name = cert.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    yesterday = clock.now() - datetime.timedelta(days=1)
    assert folder == seal_dir / "lu"
    assert name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == f"{LUND} (demo seal)"
    assert name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == LUND
    assert cert.issuer == name
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    assert (usage.critical, usage.value.digital_signature, usage.value.content_commitment) == (
        True,
        True,
        True,
    )
    assert (constraints.critical, constraints.value.ca) == (True, False)
    assert abs(cert.not_valid_before_utc - yesterday) < datetime.timedelta(minutes=5)
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == datetime.timedelta(days=3650)
    assert (folder / "key.pem").stat().st_mode & 0o777 == 0o600


def test_key_is_read_once_per_process(pdf, seal_dir, settings):
    first = seal.signer_for("lu", LUND)
    seal.seal_pdf(pdf, code="lu", name=LUND)
    # With the key gone from disk, only the key already in memory can seal the second document.
    (seal_dir / "lu" / "key.pem").unlink()
    settings.SEAL_DEMO_KEYS = False

    second = seal.seal_pdf(pdf, code="lu", name=LUND)

    assert seal.signer_for("lu", LUND) is first
    assert seal.inspect_pdf(second).valid is True
    seal.clear_cache()
    with pytest.raises(seal.SealUnavailable):
        seal.signer_for("lu", LUND)


def test_missing_key_without_demo_keys_is_refused_naming_the_file(pdf, seal_dir, settings):
    settings.SEAL_DEMO_KEYS = False

    with pytest.raises(seal.SealUnavailable, match=str(seal_dir / "lu" / "key.pem")):
        seal.seal_pdf(pdf, code="lu", name=LUND)

    assert not seal_dir.exists()  # no demo key was made behind the setting's back


def test_key_encrypted_with_the_passphrase_seals_and_a_wrong_passphrase_is_refused(pdf, settings):
    settings.SEAL_KEY_PASSPHRASE = "correct horse"
    folder = seal.ensure_demo_seal("lu", LUND)

    sealed = seal.seal_pdf(pdf, code="lu", name=LUND)

    assert (folder / "key.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")
    assert seal.inspect_pdf(sealed).valid is True
    seal.clear_cache()
    settings.SEAL_KEY_PASSPHRASE = "wrong"
    with pytest.raises(seal.SealUnavailable, match="SEAL_KEY_PASSPHRASE"):
        seal.signer_for("lu")


@pytest.mark.parametrize("code", ["../lu", "lu/x", "", ".new-x"])
def test_a_code_that_is_not_a_slug_never_becomes_a_path(code):
    with pytest.raises(ValueError, match="Not an institution code"):
        seal.signer_for(code)


def test_seal_issued_by_a_ca_is_trusted_by_its_own_certificate_not_by_the_ca(pdf, seal_dir):
    ca_key, ca = _ca()
    _install_ca_issued_seal(seal_dir / "lu", ca_key, ca, "Lunds universitet")
    elsewhere = seal_dir.parent / "elsewhere"
    _install_ca_issued_seal(elsewhere / "lu", ca_key, ca, "Lunds universitet")

    ours = seal.seal_pdf(pdf, code="lu")
    stranger = _seal_elsewhere(pdf, elsewhere, "lu")  # the same CA, the same name, not our key

    report = seal.inspect_pdf(ours)
    assert (report.valid, report.signer) == (True, "Lunds universitet")
    assert seal.inspect_pdf(stranger).trusted is False


# --- Checking an uploaded file ------------------------------------------------------------------


def test_inspect_reports_a_sealed_document_as_issued(sealed):
    report = seal.inspect_pdf(sealed)

    assert report == seal.SealReport(
        sealed=True,
        intact=True,
        trusted=True,
        covers_whole_file=True,
        signer="Lund University (demo seal)",
        signed_at=report.signed_at,
    )
    assert report.valid is True
    now = clock.now()
    assert abs(report.signed_at - now) < datetime.timedelta(minutes=5)


def test_a_byte_changed_inside_the_sealed_content_breaks_the_seal(sealed):
    # A byte inside the first (compressed) stream: the file still parses, its digest differs.
    position = sealed.index(b"stream\n") + len(b"stream\n") + 10
    changed = _flip(sealed, position)

    report = seal.inspect_pdf(changed)

    assert (report.sealed, report.intact, report.valid) == (True, False, False)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 0.999])
def test_a_byte_changed_anywhere_is_never_valid_and_never_raises(sealed, fraction):
    changed = _flip(sealed, int((len(sealed) - 1) * fraction))

    assert seal.inspect_pdf(changed).valid is False


def test_an_update_appended_after_sealing_is_not_the_issued_document(sealed):
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.set_info(writer.trailer["/Info"])
    writer.trailer["/Info"][NameObject("/Title")] = TextStringObject("Degree of Doctor")
    out = io.BytesIO()
    writer.write(out)

    report = seal.inspect_pdf(out.getvalue())

    # The seal itself still checks out, but over an earlier revision only.
    assert (report.sealed, report.intact, report.trusted) == (True, True, True)
    assert (report.covers_whole_file, report.valid) == (False, False)


def test_an_unsealed_pdf_is_not_sealed(pdf):
    assert seal.inspect_pdf(pdf) == seal.NOT_SEALED


def test_a_seal_of_a_key_not_in_seal_dir_is_not_trusted_until_its_certificate_is(pdf, seal_dir):
    elsewhere = seal_dir.parent / "elsewhere"
    forged = _seal_elsewhere(pdf, elsewhere, "lu")  # same name, another key
    seal.ensure_demo_seal("lu", LUND)

    before = seal.inspect_pdf(forged)
    # A certificate put in place later (an old key kept after a change) counts at the next check.
    shutil.copytree(elsewhere / "lu", seal_dir / "lu-2024")
    after = seal.inspect_pdf(forged)

    assert (before.sealed, before.intact, before.trusted) == (True, True, False)
    assert after.valid is True


def test_an_unreadable_certificate_beside_ours_does_not_stop_the_check(sealed, seal_dir):
    (seal_dir / "broken").mkdir()
    (seal_dir / "broken" / "cert.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\ngarbage")

    assert seal.inspect_pdf(sealed).valid is True


@pytest.mark.parametrize(
    "make",
    [
        lambda sealed: b"",
        lambda sealed: b"not a pdf at all",
        lambda sealed: b"%PDF-1.7\n",
        lambda sealed: bytes(range(256)) * 64,
        lambda sealed: sealed[: len(sealed) // 2],
        lambda sealed: sealed[:-40],
        lambda sealed: b"%PDF-1.7\n" + b"[" * 100_000,
    ],
    ids=["empty", "text", "header-only", "binary", "half", "no-trailer", "deep-nesting"],
)
def test_garbage_is_not_sealed_and_never_raises(sealed, make):
    report = seal.inspect_pdf(make(sealed))

    assert (report.sealed, report.valid) == (False, False)


def test_an_upload_above_the_cap_is_refused_unread(sealed):
    padded = sealed + b"\n" * (seal.MAX_INSPECT_BYTES - len(sealed) + 1)

    assert seal.inspect_pdf(padded) == seal.NOT_SEALED


# --- Demo keys made by racing processes ---------------------------------------------------------


def test_threads_racing_to_make_the_demo_seal_end_with_one_key(seal_dir):
    barrier = threading.Barrier(8)
    results = []

    def make():
        barrier.wait()
        results.append(seal.ensure_demo_seal("lu", LUND))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [seal_dir / "lu"] * 8
    _assert_one_seal_that_every_signer_uses(seal_dir)


def test_a_demo_seal_made_meanwhile_by_another_process_wins(seal_dir, monkeypatch):
    write = seal._write_demo_seal
    winner = {}

    def another_process_finishes_first(folder, name):
        # While this process writes its key, another one publishes a complete seal.
        monkeypatch.setattr(seal, "_write_demo_seal", write)
        winner["folder"] = seal.ensure_demo_seal("lu", LUND)
        winner["key"] = (winner["folder"] / "key.pem").read_bytes()
        write(folder, name)

    monkeypatch.setattr(seal, "_write_demo_seal", another_process_finishes_first)

    folder = seal.ensure_demo_seal("lu", LUND)

    assert folder == winner["folder"]
    assert (folder / "key.pem").read_bytes() == winner["key"]
    _assert_one_seal_that_every_signer_uses(seal_dir)


def _assert_one_seal_that_every_signer_uses(seal_dir):
    assert sorted(os.listdir(seal_dir)) == ["lu"]  # no temporary folder left behind
    assert sorted(os.listdir(seal_dir / "lu")) == ["cert.pem", "key.pem"]
    first = seal.signer_for("lu")
    seal.clear_cache()
    second = seal.signer_for("lu")
    assert first is not second
    assert first.signing_cert.dump() == second.signing_cert.dump()


# --- The deployment check -----------------------------------------------------------------------


def test_deploy_check_reports_an_error_while_demo_keys_are_on(settings):
    settings.SEAL_DEMO_KEYS = True

    ids = [m.id for m in run_checks(tags=[Tags.security], include_deployment_checks=True)]
    plain = [m.id for m in run_checks(tags=[Tags.security], include_deployment_checks=False)]

    assert ids.count("certificates.E001") == 1
    assert "certificates.E001" not in plain


def test_deploy_check_is_silent_with_demo_keys_off(settings):
    settings.SEAL_DEMO_KEYS = False

    assert demo_seals_off(None) == []
    ids = [m.id for m in run_checks(tags=[Tags.security], include_deployment_checks=True)]
    assert not [i for i in ids if i.startswith("certificates.")]


# --- Helpers ------------------------------------------------------------------------------------


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def _seal_elsewhere(pdf: bytes, folder, code: str) -> bytes:
    """A PDF sealed with a key that lives outside SEAL_DIR (a stranger's, or a retired one)."""
    from django.conf import settings

    ours = settings.SEAL_DIR
    settings.SEAL_DIR = folder
    try:
        return seal.seal_pdf(pdf, code=code, name=LUND)
    finally:
        settings.SEAL_DIR = ours


def _ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Seal CA")])
    cert = (
        _builder(name, name, key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _install_ca_issued_seal(folder, ca_key, ca, common_name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        _builder(subject, ca.subject, key.public_key())
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True)
    pem = serialization.Encoding.PEM
    (folder / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(pem))
    (folder / "chain.pem").write_bytes(ca.public_bytes(pem))


def _builder(subject, issuer, public_key):
    start = clock.now() - datetime.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=30))
    )
