"""Names in two languages (DESIGN.md § Names in two languages)."""

from django.db import models
from django.utils.translation import get_language


def pick(sv: str, en: str, language: str | None = None) -> str:
    """The text in the active language, falling back to the other one when it is missing."""
    language = (language or get_language() or "en")[:2]
    first, second = (sv, en) if language == "sv" else (en, sv)
    return first or second


class BilingualName(models.Model):
    """Abstract base for anything with a Swedish and an English name."""

    name_sv = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_sv, self.name_en)
