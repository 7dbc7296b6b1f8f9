"""Failed logins, limited without locking the owner out (#17 point 3).

A lock after a few failures lets anyone lock a named examiner out before a deadline, and a low
limit per address blocks everyone behind one campus address. Instead:

- Per account, a *progressive delay*: the first LOGIN_FREE_FAILURES failures cost nothing; after
  that each attempt must wait 2, 4, 8 … seconds (at most LOGIN_MAX_DELAY) after the account's
  last failure. Nothing is ever locked: the right password is accepted once the wait has passed,
  and a guesser gets about one try a minute, from however many addresses.
- A browser in which the account has logged in before carries a signed cookie saying so; it
  skips both the delay and the per-address limit, so the owner's usual browser logs in at once
  whatever a guesser does.
- Per address, allauth's `login_failed` limit (ACCOUNT_RATE_LIMITS), high enough for a campus
  behind one address.

The counters live in the default cache (Redis: shared by every process).
"""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

COOKIE = "lp_known"
_SALT = "people.throttle.known"
_KNOWN_KEPT = 5
_COOKIE_DAYS = 180


def _login_key(login: str) -> str:
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]


def _cache_key(login: str) -> str:
    return f"login-failures:{_login_key(login)}"


def wait_seconds(login: str, now: float | None = None) -> int:
    """How long an attempt on this account must still wait; 0: it may try now."""
    failures, last = cache.get(_cache_key(login), (0, 0.0))
    over = failures - settings.LOGIN_FREE_FAILURES
    if over < 0:
        return 0
    delay = min(2 ** (over + 1), settings.LOGIN_MAX_DELAY)
    left = last + delay - (time.time() if now is None else now)
    return max(0, int(left + 0.999))


def failed(login: str) -> None:
    key = _cache_key(login)
    failures, _last = cache.get(key, (0, 0.0))
    cache.set(key, (failures + 1, time.time()), timeout=24 * 3600)


def succeeded(login: str) -> None:
    cache.delete(_cache_key(login))


def known_here(request: HttpRequest, login: str) -> bool:
    """Whether this browser has logged in to the account before."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return False
    try:
        known = signing.loads(raw, salt=_SALT, max_age=_COOKIE_DAYS * 24 * 3600)
    except signing.BadSignature:
        return False
    return isinstance(known, list) and _login_key(login) in known


def remember(request: HttpRequest, login: str) -> None:
    """After a successful login: the response will mark this browser as known for the account."""
    request._known_login = _login_key(login)


def set_cookie(request: HttpRequest, response: HttpResponse) -> None:
    key = getattr(request, "_known_login", None)
    if key is None:
        return
    known: list = []
    raw = request.COOKIES.get(COOKIE)
    if raw:
        try:
            found = signing.loads(raw, salt=_SALT)
            known = found if isinstance(found, list) else []
        except signing.BadSignature:
            known = []
    others = [k for k in known if k != key][-(_KNOWN_KEPT - 1) :]
    known = [*others, key]
    response.set_cookie(
        COOKIE,
        signing.dumps(known, salt=_SALT),
        max_age=_COOKIE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
