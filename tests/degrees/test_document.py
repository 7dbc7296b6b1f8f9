"""The digital degree (S-DEG-6): rendered and sealed by the certificates pipeline, the certificate
in Swedish and English with the diploma supplement as pages of the same document, read back; the
internal notes are not in it; /verify/ answers by code and by upload, and as withdrawn after a
withdrawal. One real render for the whole module."""

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from certificates.models import Certificate
from certificates.seal import inspect_pdf
from degrees import services
from tests.factories.degrees import apply, graduate, officer, settings_of

pytestmark = pytest.mark.django_db

NOTE = "Internal: thesis grade confirmed by phone"


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_degree_pdf_is_sealed_bilingual_with_supplement_and_verifies(
    institution, documents, django_capture_on_commit_callbacks
):
    settings_of(institution)
    person, user, kind = graduate(institution)
    handler = officer(institution)
    case = apply(user, person, institution, kind)
    services.add_note(handler, case, NOTE)
    with django_capture_on_commit_callbacks(execute=True):
        degree = services.issue(handler, case)
    document = Certificate.objects.get(pk=degree.document_id)
    assert document.is_ready, document.failure
    with default_storage.open(document.pdf.name, "rb") as file:
        data = file.read()
    text = _text(data)
    for expected in (
        "Examensbevis",
        "Filosofie kandidatexamen",
        "Degree certificate",
        "Degree of Bachelor of Science",
        "Diploma supplement",
        "MATK11",
        "The Swedish grading system",
        document.display_code,
    ):
        assert expected in text, expected
    assert NOTE not in text
    assert document.page_count >= 2
    report = inspect_pdf(data)
    assert report.sealed and report.intact and report.covers_whole_file

    code = Client().get(f"/verify/{document.display_code}/")
    assert code.status_code == 200
    assert "Degree of Bachelor of Science" in code.text
    assert NOTE not in code.text
    upload = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/verify/", {"form": "upload", "document": io.BytesIO(data)}, format="multipart"
    )
    assert "This file is exactly the document issued by" in upload.text

    services.withdraw(handler, degree, reason="Decision reversed.")
    withdrawn = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{document.display_code}/")
    assert (
        "This document has been withdrawn by its issuer and is no longer valid." in withdrawn.text
    )
    assert "Degree of Bachelor of Science</span>" not in withdrawn.text
    assert Client().get(f"/verify/{document.display_code}/document.pdf").status_code == 404
    assert Client().get(f"/degrees/{degree.public_id}/document.pdf").status_code == 302
