"""A small EMREX contact point (NCP) run by the project itself for the demo and the tests
(issue #14 point 6): a foreign "University of Helsinki" with its own signing key and a few
courses in ELMO, so the whole flow runs on one machine. The student's browser arrives with a
session id and a return URL; the page offers to send the results or to cancel, each a plain
form that posts the EMREX answer (sessionId, returnCode, elmo) back to the return URL.

Served at /emrex-demo-ncp/ when settings.EMREX_DEMO_CONTACT_POINT is on; its key and
certificate live in settings.EMREX_DEMO_DIR (made on first use).
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from emrex import elmo
from emrex.elmo import element as E
from ladokportal import clock

CODE = "demo-helsinki"
NAME = "University of Helsinki (demo contact point)"
COURSES = (
    ("MAT-101", "Linear Algebra I", "5", "5", "2025-12-15"),
    ("TKT-202", "Data Structures", "10", "4", "2026-05-20"),
    ("ECO-110", "Principles of Economics", "5", "3", "2026-06-02"),
)


def key_and_certificate() -> tuple[bytes, bytes]:
    folder = Path(settings.EMREX_DEMO_DIR)
    key, cert = folder / "key.pem", folder / "cert.pem"
    if not key.exists():
        _make(folder)
    return key.read_bytes(), cert.read_bytes()


def _make(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def document(given: str = "Stina", family: str = "Student") -> bytes:
    """The signed ELMO document of the demo student's foreign courses."""
    now = clock.now().isoformat(timespec="seconds")
    courses = [
        E(
            "learningOpportunitySpecification",
            E("identifier", text=code, type="local"),
            E("title", text=title, lang="en"),
            E("type", text="Course"),
            E(
                "specifies",
                E(
                    "learningOpportunityInstance",
                    E("date", text=date),
                    E("status", text="passed"),
                    E("resultLabel", text=grade),
                    E("credit", E("scheme", text="ECTS"), E("value", text=credits)),
                ),
            ),
        )
        for code, title, credits, grade, date in COURSES
    ]
    root = E(
        "elmo",
        E("generatedDate", text=now),
        E("learner", E("givenNames", text=given), E("familyName", text=family)),
        E(
            "report",
            E(
                "issuer",
                E("country", text="FI"),
                E("identifier", text="helsinki.fi", type="schac"),
                E("title", text="University of Helsinki", lang="en"),
                E("url", text="https://www.helsinki.fi"),
            ),
            *courses,
            E("issueDate", text=now),
        ),
    )
    key, cert = key_and_certificate()
    return elmo.sign(root, key, cert, algorithm="rsa-sha256")


@csrf_exempt  # the EMREX client posts here from another site
@login_not_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if not settings.EMREX_DEMO_CONTACT_POINT:
        raise Http404
    session_id = request.POST.get("sessionId", "")[:100]
    return_url = request.POST.get("returnUrl", "")
    # Any EMREX client may use it (it is a demo); the return address must be a web address.
    if not session_id or urlsplit(return_url).scheme not in ("http", "https"):
        raise Http404
    return render(
        request,
        "emrex/contact_point.html",
        {
            "name": NAME,
            "courses": COURSES,
            "session_id": session_id,
            "return_url": return_url,
            "elmo": elmo.encode(document()),
        },
    )
