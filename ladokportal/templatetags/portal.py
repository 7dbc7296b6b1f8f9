"""Template filters for Swedish conventions (G-6) and the shared components."""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

from institutions.sanitise import sanitise
from ladokportal import clock
from ladokportal.i18n import pick

register = template.Library()


@register.filter
def credits(value: Decimal | float | None) -> str:
    """7,5 hp in Swedish, 7.5 credits in English."""
    if value is None:
        return ""
    amount = Decimal(value).normalize()
    if amount == amount.to_integral():
        amount = amount.quantize(Decimal(1))
    if (get_language() or "en").startswith("sv"):
        return f"{number_format(amount, use_l10n=True)} hp".replace(".", ",")
    return f"{amount} {pgettext('credits unit', 'credits')}"


@register.filter
def isodate(value: datetime.date | datetime.datetime | None) -> str:
    """2021-01-17: the one date format of the portal, in both languages; a moment shows the day
    it was in Sweden (ladokportal.clock), not in UTC."""
    if value is None or value == "":
        return ""
    return clock.date_of(value).isoformat()


@register.filter
def isominute(value: datetime.datetime | None) -> str:
    """2021-01-17 14:05: a moment to the minute, in Swedish time, in both languages."""
    if value is None or value == "":
        return ""
    return f"{clock.local(value):%Y-%m-%d %H:%M}"


@register.simple_tag
def daterange(start: datetime.date | None, end: datetime.date | None) -> str:
    """2021-01-17 – 2021-03-28"""
    return f"{isodate(start)} – {isodate(end)}"


@register.filter
def bilingual(obj: object, field: str = "body") -> str:
    """Pick obj.<field>_sv or obj.<field>_en by the active language, with fallback."""
    return pick(getattr(obj, f"{field}_sv", ""), getattr(obj, f"{field}_en", ""))


@register.filter
def safe_local_text(html: str) -> SafeString:
    """A local text's body, sanitised again on the way out (defence in depth)."""
    return mark_safe(sanitise(html))  # noqa: S308 - sanitised by nh3 on the line above
