"""Check codes (kontrollkoder, S-CERT-2): random, unguessable, easy to read aloud and type.

Fifteen random characters from a 32-character alphabet (75 bits: guessing one of a million issued
codes takes about 2^55 tries) and one check character computed with the Luhn mod N algorithm, which
catches every single mistyped character and most swapped neighbours before the database is asked.
Shown in groups of four: ABCD-EFGH-JKLM-NPQR.
"""

import re
import secrets

# No 0/O or 1/I: codes are read from paper and typed by employers.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BODY_LENGTH = 15
LENGTH = BODY_LENGTH + 1
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_SEPARATORS = re.compile(r"[\s\-–—.]+")


def check_character(body: str) -> str:
    """Luhn mod N over the alphabet (the rightmost character of the body is doubled)."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def normalise(text: str) -> str | None:
    """The code a person typed, without spaces and dashes and in capitals, or None when it cannot
    be a check code (wrong length, a character outside the alphabet, a wrong check character)."""
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != LENGTH or any(c not in _INDEX for c in code):
        return None
    if check_character(code[:-1]) != code[-1]:
        return None
    return code


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
