"""Attachments (S-CRED-2): PDF, JPEG and PNG judged by their content, size limits, random names
outside the web root; anything else refused with a message and nothing stored."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from credits import attachments, services
from credits.attachments import AttachmentError
from tests.factories.credits import PDF, credit_world, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(institution, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    world = credit_world(institution)
    return world, services.start_draft(world.person, institution=institution)


def stored_files(settings) -> list[str]:
    folder = Path(settings.ATTACHMENT_DIR)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_pdf_is_stored_under_a_random_name_outside_the_web_root(draft, settings):
    world, case = draft
    attachment = services.add_attachment(world.person, case=case, upload=upload("betyg.pdf", PDF))
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "betyg.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored_files(settings) == [attachment.stored_name]
    assert len(attachment.stored_name) == 48
    assert attachments.read(attachment.stored_name) == PDF
    assert not Path(settings.ATTACHMENT_DIR).is_relative_to(Path(settings.STATIC_ROOT))


def test_a_png_is_accepted(draft):
    world, case = draft
    attachment = services.add_attachment(
        world.person, case=case, upload=upload("scan.png", png_bytes())
    )
    assert attachment.content_type == "image/png"


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.pdf", b"\0" * 20_000_000)
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A small PNG whose header claims 20000 × 20000 pixels (400 megapixels) when decoded."""
    small = png_bytes()
    header = b"IHDR" + struct.pack(">II", 20_000, 20_000) + small[24:29]
    return small[:12] + header + struct.pack(">I", zlib.crc32(header)) + small[33:]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("betyg.png", PDF, "betyg.png is a PDF file but its name says otherwise"),
        ("program.pdf", b"MZ\x90\x00" + b"\0" * 200, "program.pdf is not a PDF, JPEG or PNG"),
        ("bomb.pdf", zip_bomb(), "bomb.pdf is not a PDF, JPEG or PNG"),
        ("bomb.png", pixel_bomb(), "bomb.png has too many pixels"),
        ("big.pdf", PDF + b"\0" * (10 * 2**20), "big.pdf is larger than 10 MB"),
        ("half.pdf", b"%PDF-1.4\n1 0 obj", "half.pdf is not a complete PDF"),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_refused_files_leave_nothing_stored(draft, settings, name, content, message):
    world, case = draft
    with pytest.raises(AttachmentError) as refused:
        services.add_attachment(world.person, case=case, upload=upload(name, content))
    assert str(refused.value).startswith(message)
    assert stored_files(settings) == []
    assert case.attachments.count() == 0


def test_another_students_draft_is_not_reachable(draft, institution, settings):
    _world, case = draft
    other = credit_world(institution, suffix="2", username="carl")
    with pytest.raises(Exception, match="right"):
        services.add_attachment(other.person, case=case, upload=upload("a.pdf", PDF))
    assert stored_files(settings) == []
