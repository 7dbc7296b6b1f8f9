"""A foreign contact point with its own key, and ELMO documents it signs."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from emrex import elmo
from emrex.elmo import element as E
from emrex.models import ContactPoint
from ladokportal import clock


def _schema_dir() -> Path | None:
    for candidate in (
        os.environ.get("ELMO_SCHEMA_DIR", ""),
        str(Path(django_settings.BASE_DIR).parent.parent / "shared" / "elmo"),
        str(Path(django_settings.BASE_DIR).parent / "shared" / "elmo"),
    ):
        if candidate and (Path(candidate) / "schema.xsd").is_file():
            return Path(candidate)
    return None


@pytest.fixture
def schema_dir(settings):
    found = _schema_dir()
    if found is None:
        pytest.skip("the ELMO 1.7 schema set is not on this machine (ELMO_SCHEMA_DIR)")
    settings.ELMO_SCHEMA_DIR = found
    return found


def make_key(name: str) -> tuple[bytes, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="session")
def ncp_key():
    return make_key("Demo NCP Helsinki")


@pytest.fixture(scope="session")
def stranger_key():
    return make_key("Somebody else")


@pytest.fixture
def contact_point(db, ncp_key):
    return ContactPoint.objects.create(
        code="fi-helsinki",
        name="University of Helsinki (demo)",
        country="FI",
        url="http://127.0.0.1:9/emrex/",
        certificate=ncp_key[1],
    )


def foreign_document(*, url: bool = True, title: str = "Linear Algebra I"):
    return E(
        "elmo",
        E("generatedDate", text="2026-12-06T10:00:00+01:00"),
        E(
            "learner",
            E("givenNames", text="Stina"),
            E("familyName", text="Student"),
            E("bday", text="2000-01-01"),
        ),
        E(
            "report",
            E(
                "issuer",
                E("country", text="FI"),
                E("identifier", text="helsinki.fi", type="schac"),
                E("title", text="University of Helsinki", lang="en"),
                E("url", text="https://www.helsinki.fi") if url else None,
            ),
            E(
                "learningOpportunitySpecification",
                E("identifier", text="MAT-101", type="local"),
                E("title", text=title, lang="en"),
                E("type", text="Course"),
                E(
                    "specifies",
                    E(
                        "learningOpportunityInstance",
                        E("date", text="2026-05-30"),
                        E("status", text="passed"),
                        E("resultLabel", text="5"),
                        E("credit", E("scheme", text="ECTS"), E("value", text="5")),
                    ),
                ),
            ),
            E("issueDate", text="2026-12-06T10:00:00+01:00"),
        ),
    )


def signed(key: tuple[bytes, str], **document) -> bytes:
    return elmo.sign(foreign_document(**document), key[0], key[1].encode(), algorithm="rsa-sha256")
