"""Seals in production (#16 point 3, S-DEG-6, S-CERT-2): with SEAL_DEMO_KEYS off a demo key is
never used and check --deploy reports it, as it reports a seal certificate that has expired or
expires within 30 days; the key can come from a PKCS#12 file with its password from the
environment; with a timestamp authority the seal carries an RFC 3161 timestamp that pyHanko
validates, and its validation data embedded (LTV). The authority is a local one: pyHanko's own
test timestamper answering RFC 3161 requests over HTTP, with a certificate from a test CA."""

import datetime
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certificates import seal
from certificates.checks import seals_usable
from ladokportal import clock

LUND = "Lund University"
PEM = serialization.Encoding.PEM


@pytest.fixture(autouse=True)
def seal_dir(settings, tmp_path):
    settings.SEAL_DIR = tmp_path / "seals"
    settings.SEAL_DEMO_KEYS = False
    settings.SEAL_KEY_PASSPHRASE = ""
    settings.SEAL_TSA_URL = ""
    seal.clear_cache()
    yield settings.SEAL_DIR
    seal.clear_cache()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from certificates.pipeline import render_pdf

    return render_pdf("<html lang='en'><title>Transcript</title><h1>Transcript</h1></html>").data


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _cert(subject: str, key, *, issuer=None, issuer_key=None, days=365, ca=False, tsa=False):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    start = clock.now() - datetime.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    elif not ca:
        usage = dict.fromkeys(
            (
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ),
            False,
        )
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, **usage), critical=True
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def _install_pem(folder, subject: str, *, days: int) -> None:
    key = _key()
    folder.mkdir(parents=True)
    (folder / "key.pem").write_bytes(
        key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "cert.pem").write_bytes(_cert(subject, key, days=days).public_bytes(PEM))


def _deploy_ids() -> list[str]:
    return [message.id for message in seals_usable(None)]


# --- Demo keys in production --------------------------------------------------------------------


def test_a_demo_key_in_seal_dir_never_seals_with_demo_keys_off(pdf, seal_dir, settings):
    settings.SEAL_DEMO_KEYS = True
    seal.ensure_demo_seal("lu", LUND)
    settings.SEAL_DEMO_KEYS = False

    with pytest.raises(seal.SealUnavailable, match="is a demo seal, and SEAL_DEMO_KEYS is off"):
        seal.seal_pdf(pdf, code="lu", name=LUND)
    assert _deploy_ids() == ["certificates.E002"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(400, []), (31, ["certificates.E003"]), (0, ["certificates.E003"])],
)
def test_deploy_check_reports_a_seal_that_expires_within_30_days(seal_dir, days, expected):
    """Issued yesterday for `days` days: 0 has expired, 31 ends in 30 days."""
    _install_pem(seal_dir / "lu", "Lunds universitet", days=days)
    (seal_dir / "lu-2024").mkdir()  # an old certificate kept for verifying is no seal
    (seal_dir / "lu-2024" / "cert.pem").write_bytes(b"not read")

    assert _deploy_ids() == expected


def test_deploy_check_reports_a_seal_it_cannot_read(seal_dir, settings):
    (seal_dir / "lu").mkdir(parents=True)
    (seal_dir / "lu" / "key.pem").write_bytes(b"key without certificate")

    assert _deploy_ids() == ["certificates.E004"]


# --- PKCS#12 ------------------------------------------------------------------------------------


def test_a_pkcs12_key_with_its_password_from_the_environment_seals(pdf, seal_dir, settings):
    ca_key = _key()
    ca = _cert("Seal CA", ca_key, ca=True, days=3650)
    key = _key()
    cert = _cert("Lunds universitet", key, issuer=ca, issuer_key=ca_key)
    (seal_dir / "lu").mkdir(parents=True)
    (seal_dir / "lu" / "seal.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"lu", key, cert, [ca], serialization.BestAvailableEncryption(b"from the environment")
        )
    )
    settings.SEAL_PKCS12_PASSWORD = "from the environment"

    sealed = seal.seal_pdf(pdf, code="lu", name=LUND)

    report = seal.inspect_pdf(sealed)
    assert (report.valid, report.signer) == (True, "Lunds universitet")
    assert _deploy_ids() == []
    seal.clear_cache()
    settings.SEAL_PKCS12_PASSWORD = "wrong"
    with pytest.raises(seal.SealUnavailable, match="SEAL_PKCS12_PASSWORD"):
        seal.signer_for("lu")


# --- A timestamp authority ----------------------------------------------------------------------


@pytest.fixture
def timestamp_authority(tmp_path):
    """pyHanko's DummyTimeStamper behind a local HTTP server speaking RFC 3161
    (application/timestamp-query → application/timestamp-reply); yields its URL and the PEM
    file of its CA."""
    from asn1crypto import tsp
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder_data
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    ca_key = _key()
    ca = _cert("Test TSA root", ca_key, ca=True, days=3650)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # its only kind
    tsa_cert = _cert("Test TSA", tsa_key, issuer=ca, issuer_key=ca_key, days=3650, tsa=True)
    roots = tmp_path / "tsa-roots.pem"
    roots.write_bytes(ca.public_bytes(PEM))
    (tmp_path / "tsa.pem").write_bytes(tsa_cert.public_bytes(PEM))
    stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(tmp_path / "tsa.pem")),
        tsa_key=load_private_key_from_pemder_data(
            tsa_key.private_bytes(
                PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            passphrase=None,
        ),
        certs_to_embed=[load_cert_from_pemder(str(roots))],
    )
    answered = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            answered.append(self.headers["Content-Type"])
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa", roots, answered
    finally:
        server.shutdown()
        server.server_close()


def test_with_a_timestamp_authority_the_seal_is_timestamped_and_carries_its_validation_data(
    pdf, seal_dir, settings, timestamp_authority
):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    url, roots, answered = timestamp_authority
    _install_pem(seal_dir / "lu", "Lunds universitet", days=365)
    settings.SEAL_TSA_URL = url
    settings.SEAL_TSA_ROOTS = str(roots)

    sealed = seal.seal_pdf(pdf, code="lu", name=LUND)

    assert answered and set(answered) == {"application/timestamp-query"}
    reader = PdfFileReader(io.BytesIO(sealed))
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(
        signature,
        ValidationContext(trust_roots=[load_cert_from_pemder(str(seal_dir / "lu" / "cert.pem"))]),
        ts_validation_context=ValidationContext(trust_roots=[load_cert_from_pemder(str(roots))]),
    )
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    timestamp = status.timestamp_validity
    assert (timestamp.intact, timestamp.valid, timestamp.trusted) == (True, True, True)
    assert abs(timestamp.timestamp - clock.now()) < datetime.timedelta(minutes=5)
    # LTV: the validation data is in the file's Document Security Store.
    assert "/DSS" in reader.root
    assert seal.inspect_pdf(sealed).valid
