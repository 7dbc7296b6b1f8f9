"""The sealed PDF as a download, the same for the student, the study administrator and the
public verification page."""

from django.http import FileResponse, Http404
from django.utils import translation
from django.utils.text import slugify

from certificates.models import Certificate


def pdf_response(certificate: Certificate) -> FileResponse:
    """An attachment (never shown inline from our origin), named in the document's own
    language: transcript-of-records-ABCD-EFGH-JKLM-NPQR.pdf. A file missing from storage is a
    404, not an error page."""
    try:
        handle = certificate.pdf.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    with translation.override(certificate.language):
        kind = slugify(certificate.get_kind_display())
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{kind or 'certificate'}-{certificate.display_code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
