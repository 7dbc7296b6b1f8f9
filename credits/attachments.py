"""Attachments of credit-transfer cases (S-CRED-2): what is accepted and where it is kept.

Accepted are PDF, JPEG and PNG, judged by the content and never by the name or the browser's
word: the file must start with the format's signature, match the extension it was given, and
open as what it says (an image decodes within a pixel budget, so a decompression bomb is
refused; a PDF has its header and end marker and no embedded executable content is opened
here at all). Anything else (an executable renamed .pdf, a PDF renamed .png, a zip) is refused
with a message. Files are stored in ATTACHMENT_DIR, outside the web root, under random names;
no URL reaches that folder except the student's and the case officers' download views.
"""

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from credits.models import AttachmentKind
from ladokportal.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_CASE = 10
# An attachment image larger than this many pixels is refused (a 4000 × 6000 scan passes).
MAX_PIXELS = 40_000_000

SIGNATURES = {
    AttachmentKind.PDF: (b"%PDF-",),
    AttachmentKind.JPEG: (b"\xff\xd8\xff",),
    AttachmentKind.PNG: (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {
    AttachmentKind.PDF: {".pdf"},
    AttachmentKind.JPEG: {".jpg", ".jpeg"},
    AttachmentKind.PNG: {".png"},
}


class AttachmentError(DomainError):
    pass


@dataclass(frozen=True)
class Checked:
    kind: str
    content: bytes
    name: str
    sha256: str


def check(upload: UploadedFile) -> Checked:
    """The upload if it is an acceptable attachment, else AttachmentError saying why."""
    name = Path(upload.name or "").name[:200] or "attachment"
    if upload.size is None or upload.size > MAX_BYTES:
        raise AttachmentError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": MAX_BYTES // 2**20}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise AttachmentError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": MAX_BYTES // 2**20}
        )
    if not content:
        raise AttachmentError(_("%(name)s is empty.") % {"name": name})
    kind = _kind_of(content)
    if kind is None:
        raise AttachmentError(
            _("%(name)s is not a PDF, JPEG or PNG file. Only those can be attached.")
            % {"name": name}
        )
    if Path(name).suffix.lower() not in EXTENSIONS[kind]:
        raise AttachmentError(
            _("%(name)s is a %(kind)s file but its name says otherwise. Rename it and try again.")
            % {"name": name, "kind": AttachmentKind(kind).label}
        )
    if kind == AttachmentKind.PDF:
        _check_pdf(content, name)
    else:
        _check_image(content, name, kind)
    return Checked(kind, content, name, hashlib.sha256(content).hexdigest())


def _kind_of(content: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(content.startswith(s) for s in signatures):
            return kind
    return None


def _check_pdf(content: bytes, name: str) -> None:
    if b"%%EOF" not in content[-2048:]:
        raise AttachmentError(_("%(name)s is not a complete PDF file.") % {"name": name})


def _check_image(content: bytes, name: str, kind: str) -> None:
    from PIL import Image

    broken = AttachmentError(_("%(name)s is not a readable image.") % {"name": name})
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise AttachmentError(
                    _("%(name)s has too many pixels to be opened safely.") % {"name": name}
                )
            expected = "JPEG" if kind == AttachmentKind.JPEG else "PNG"
            if image.format != expected:
                raise broken
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except AttachmentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentError(
            _("%(name)s has too many pixels to be opened safely.") % {"name": name}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise broken from None


# --- The store ----------------------------------------------------------------------------------


def folder() -> Path:
    return Path(settings.ATTACHMENT_DIR)


def store(content: bytes) -> str:
    """Write the file under a new random name; returns the name."""
    directory = folder()
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(24)
    with open(directory / name, "xb") as out:
        out.write(content)
    return name


def read(stored_name: str) -> bytes:
    return (folder() / Path(stored_name).name).read_bytes()


def delete(stored_name: str) -> None:
    (folder() / Path(stored_name).name).unlink(missing_ok=True)
