"""OCR reference numbers (S-FEE-3): the digits a student types when paying through the bank giro.

The last digit is a Luhn (modulus 10) check digit, as Swedish bank giro OCR references use, so
a mistyped reference (one wrong digit, two neighbours swapped) is caught before anything is
looked up: a payment carrying it is listed for manual handling, never booked on a near match.
"""

import re

_DIGITS = re.compile(r"^[0-9]{2,25}$")


def check_digit(body: str) -> str:
    """The Luhn digit that makes `body` + digit valid."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def is_valid(reference: str) -> bool:
    """Digits only, at least two, and the last one the Luhn digit of the others."""
    return bool(_DIGITS.match(reference)) and check_digit(reference[:-1]) == reference[-1]


def normalise(raw: str) -> str:
    """What a bank or a person wrote, without spaces and dashes (`1234 5674` → `12345674`)."""
    return re.sub(r"[\s-]", "", raw or "")


def for_invoice(number: int) -> str:
    """The reference of a university's invoice number `number`: at least seven digits, then
    the check digit."""
    body = f"{number:07d}"
    return body + check_digit(body)
