"""Fixtures shared by the certificate tests."""

import pytest

from certificates import seal


@pytest.fixture
def documents(settings, tmp_path):
    """Rendered files and the demo seal live in the test's own folder, and the seal key cached
    in this process is the one made there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_DIR = tmp_path / "seals"
    settings.SEAL_DEMO_KEYS = True
    settings.SEAL_KEY_PASSPHRASE = ""
    seal.clear_cache()
    yield tmp_path
    seal.clear_cache()
