"""Anonymisation codes (T-ANON-1): random, unguessable, easy to read aloud, unique within their
activity session, and not derived from anything about the student."""

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: codes are read from paper and typed by teachers.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def new_code(prefix: str = "") -> str:
    """`prefix` is the session's own short label (e.g. "TEN1"), so a code names its exam."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{prefix}-{body}" if prefix else body
