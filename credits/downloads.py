"""An attachment as a response: opened in the browser (PDF and images display inline), with
its type as checked on upload, never sniffed, never cached."""

from django.http import Http404, HttpResponse

from credits import attachments
from credits.models import CaseAttachment


def attachment_response(found: CaseAttachment) -> HttpResponse:
    try:
        content = attachments.read(found.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=found.content_type)
    name = found.original_name.encode("ascii", "replace").decode().replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if found.content_type != "application/pdf":
        # Browsers show PDFs in a viewer a sandbox would break; an image gets one.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
