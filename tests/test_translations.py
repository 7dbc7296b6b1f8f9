"""G-1: every string the portal shows exists in Swedish, and the compiled catalogue is current."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR, "locale", "sv", "LC_MESSAGES", "django.po")


def test_every_string_has_a_swedish_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(PO))
    broken = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            # Each Swedish plural form carries the placeholders of the English plural.
            expected = sorted(_placeholders(entry.msgid_plural))
            forms = entry.msgstr_plural.values()
            if any(sorted(_placeholders(form)) != expected for form in forms):
                broken.append(entry.msgid)
        elif sorted(_placeholders(entry.msgid)) != sorted(_placeholders(entry.msgstr)):
            broken.append(entry.msgid)
    assert broken == []


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}", text)
