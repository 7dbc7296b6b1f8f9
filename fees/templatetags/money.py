"""Kronor as people write them (G-6): `45 000,00 kr` in Swedish, `SEK 45,000.00` in English."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()
NBSP = "\u00a0"


@register.filter
def kronor(value: Decimal | None) -> str:
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):,.2f}".split(".")
    if (get_language() or "sv").startswith("sv"):
        grouped = whole.replace(",", NBSP)
        return f"{sign}{grouped},{cents}{NBSP}kr"
    return f"{sign}SEK{NBSP}{whole}.{cents}"
