"""Where a form may send the person next (#17 point 4): a path on this site, or the default.

`next` and every other redirect target taken from a request pass through `local`: it must be a
path that begins with one "/" (not "//", no backslash, no scheme or host), of a sane length, and
Django's own check must agree. Anything else (e.g. "x", which `redirect` would take for a view
name and fail on) gives the default.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def local(request: HttpRequest, value: object, default: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return default
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return default
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return value
