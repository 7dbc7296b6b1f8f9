"""Absolute links: what a person follows from outside the page they are on (a certificate's QR
code and check-code link, an e-mail, the demo's banner, a calendar feed). Every one is built on
SITE_URL, the portal's public address, never on the host a request happened to name: a link in
a stored PDF or a sent e-mail outlives the request. `make run` sets SITE_URL to the address it
serves (docs/configuration.md)."""

from django.conf import settings


def site_url() -> str:
    """SITE_URL without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    """The absolute link of a path on this portal (`path` as `reverse` gives it)."""
    return site_url() + path
