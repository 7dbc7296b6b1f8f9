"""SAML login through the university's IdP or eduID (S-AUTH-1), on django-allauth's provider.

The portal's configuration (SAML_PROVIDERS, docs/configuration.md) becomes allauth's apps here
(`allauth_apps`, read by settings). What allauth leaves to us:

- Identity providers from metadata (`resolve_idp`): a metadata file or URL, a federation aggregate
  such as SWAMID's, is used only when its signature verifies with the configured certificate and
  its validUntil has not passed; the IdP's entity is then looked up in it.
- Replays (`acs`): an assertion is accepted once. Its ID is remembered until it expires, so a
  response posted a second time, in this browser or another, is refused.
- The Content Security Policy of a page offering a SAML login lets its form hand over to the
  IdP (`IdentityProviderOriginsMiddleware`), whether the IdP came from settings or metadata.

Everything else a careful SP checks is python3-saml's strict mode, which allauth turns on: the
signature with the IdP's certificate, the time limits with five minutes' skew, the audience,
the destination and recipient, and InResponseTo against a request this browser made.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from urllib.parse import urlsplit

# The attributes as SWAMID and eduID name them (URI names; friendly names are accepted too).
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
NOR_EDU_PERSON_NIN = "urn:oid:1.3.6.1.4.1.2428.90.1.5"
PERSONAL_IDENTITY_NUMBER = "urn:oid:1.2.752.29.4.13"
SCHAC_DATE_OF_BIRTH = "urn:oid:1.3.6.1.4.1.25178.1.2.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"

IDENTITY_ATTRIBUTES = [
    NOR_EDU_PERSON_NIN,
    PERSONAL_IDENTITY_NUMBER,
    "norEduPersonNIN",
    "personalIdentityNumber",
]
DATE_OF_BIRTH_ATTRIBUTES = [SCHAC_DATE_OF_BIRTH, "schacDateOfBirth"]
ATTRIBUTE_MAPPING = {
    "uid": [EPPN, "eduPersonPrincipalName"],
    "email": [MAIL, "mail"],
    "first_name": [GIVEN_NAME, "givenName"],
    "last_name": [SURNAME, "sn"],
}
METADATA_CACHE_SECONDS = 4 * 60 * 60

logger = logging.getLogger(__name__)


class MetadataError(Exception):
    """Metadata that cannot be trusted or used; the IdP it should describe is not offered."""


# --- Settings -----------------------------------------------------------------------------------


def allauth_apps(providers: list[dict]) -> list[dict]:
    """django-allauth's SAML apps from the portal's SAML_PROVIDERS (no Django needed: settings
    call this). An entry that already has allauth's "settings" passes unchanged."""
    return [provider if "settings" in provider else _app(provider) for provider in providers]


def _app(provider: dict) -> dict:
    idp = dict(provider["idp"])
    advanced = {
        "strict": True,
        # The assertion itself must be signed, not only the envelope around it.
        "want_assertion_signed": provider.get("want_assertion_signed", True),
        "reject_idp_initiated_sso": not provider.get("allow_idp_initiated", False),
        "allow_single_label_domains": provider.get("allow_single_label_domains", False),
    }
    return {
        "provider_id": provider["id"],
        "client_id": provider["id"],
        "name": provider["name"],
        "settings": {
            "idp": idp,
            "sp": dict(provider.get("sp", {})),
            "attribute_mapping": provider.get("attribute_mapping", ATTRIBUTE_MAPPING),
            "advanced": advanced,
        },
    }


def static_origins(providers: list[dict]) -> set[str]:
    """The origins of IdPs whose single sign-on URL is written in the settings."""
    origins = set()
    for app in allauth_apps(providers):
        sso_url = app["settings"].get("idp", {}).get("sso_url")
        if sso_url:
            origins.add(origin(sso_url))
    return origins


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- Metadata -----------------------------------------------------------------------------------


def _read(source: str, timeout: float) -> str:
    if source.startswith(("https://", "http://")):
        import requests

        answer = requests.get(source, timeout=timeout)
        answer.raise_for_status()
        return answer.text
    return Path(source).read_text()


def _certificate(value: str) -> str:
    """A PEM certificate given inline or as a path."""
    text = value if "BEGIN CERTIFICATE" in value else Path(value).read_text()
    return text.strip()


def parse_metadata(xml: str, *, entity_id: str, certificate: str) -> dict:
    """The IdP entity's settings (entity id, SSO URL, signing certificates) from metadata whose
    signature verifies with `certificate` and whose validUntil lies ahead."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    from ladokportal import clock

    try:
        verified = OneLogin_Saml2_Utils.validate_metadata_sign(
            xml, cert=_certificate(certificate), raise_exceptions=True
        )
    except Exception as error:
        raise MetadataError(f"metadata signature does not verify: {error}") from error
    if not verified:
        raise MetadataError("metadata signature does not verify")
    root = _root(xml)
    valid_until = root.get("validUntil")
    if not valid_until:
        raise MetadataError("signed metadata without validUntil")
    expires = OneLogin_Saml2_Utils.parse_SAML_to_time(valid_until)
    if expires <= clock.now().timestamp():
        raise MetadataError(f"metadata expired at {valid_until}")
    parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)
    idp = parsed.get("idp", {})
    if idp.get("entityId") != entity_id or not idp.get("singleSignOnService"):
        raise MetadataError(f"no identity provider {entity_id} in the metadata")
    certificates = idp.get("x509certMulti", {}).get("signing") or [idp.get("x509cert")]
    return {
        "entity_id": entity_id,
        "sso_url": idp["singleSignOnService"]["url"],
        "x509cert": certificates[0],
        "expires": expires,
    }


def _root(xml: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml.encode(), parser=parser)


def resolve_idp(idp: dict) -> dict:
    """allauth's `idp` settings for an IdP configured by metadata, from the cache or read
    afresh; settings without "metadata" are returned as they are."""
    source = idp.get("metadata")
    if not source:
        return idp
    from django.core.cache import cache

    from ladokportal import clock

    key = f"saml.idp.{source}.{idp['entity_id']}.{idp['metadata_cert']}"
    resolved = cache.get(key)
    if resolved is None:
        try:
            xml = _read(source, idp.get("metadata_timeout", 10))
        except Exception as error:
            raise MetadataError(f"metadata could not be read from {source}: {error}") from error
        resolved = parse_metadata(xml, entity_id=idp["entity_id"], certificate=idp["metadata_cert"])
        lifetime = min(
            idp.get("metadata_cache_seconds", METADATA_CACHE_SECONDS),
            int(resolved["expires"] - clock.now().timestamp()),
        )
        cache.set(key, resolved, max(lifetime, 1))
    return {k: resolved[k] for k in ("entity_id", "sso_url", "x509cert")}


def usable_app(app):
    """The SocialApp with its IdP resolved from metadata, or None when the metadata cannot be
    trusted (the IdP is then not offered; the reason goes to the log)."""
    idp = app.settings.get("idp", {})
    if not idp.get("metadata"):
        return app
    try:
        resolved = resolve_idp(idp)
    except MetadataError as error:
        logger.error("SAML provider %s is not offered: %s", app.provider_id, error)
        return None
    app.settings = {**app.settings, "idp": resolved}
    return app


# --- Replays ------------------------------------------------------------------------------------


def assertion_ids(saml_response: str) -> tuple[list[str], float | None]:
    """The IDs of the Response and its Assertions, and when the last of them stops being valid
    (NotOnOrAfter), read before allauth validates the response."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    try:
        root = _root(base64.b64decode(saml_response, validate=False).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return [], None
    ns = {
        "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
        "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    }
    ids = [root.get("ID", "")] + [a.get("ID", "") for a in root.findall("saml:Assertion", ns)]
    limits = [
        OneLogin_Saml2_Utils.parse_SAML_to_time(value)
        for value in root.xpath("//@NotOnOrAfter")
        if value
    ]
    return [i for i in ids if i], max(limits) if limits else None


def first_use(saml_response: str) -> bool:
    """Remember the response's IDs; False when one of them was seen before (a replay)."""
    from django.core.cache import cache

    from ladokportal import clock

    ids, expires = assertion_ids(saml_response)
    if not ids:
        return True  # not a response allauth will accept anyway
    remaining = int((expires or clock.now().timestamp()) - clock.now().timestamp())
    # Beyond NotOnOrAfter and the clock skew python3-saml allows, the response is refused for
    # its age; until then its IDs must stay remembered.
    timeout = max(remaining, 0) + 10 * 60
    fresh = True
    for saml_id in ids:
        if not cache.add(f"saml.seen.{saml_id}", True, timeout):
            fresh = False
    return fresh


# --- Content Security Policy ---------------------------------------------------------------------

ORIGINS_ATTRIBUTE = "_saml_idp_origins"


class IdentityProviderOriginsMiddleware:
    """A page that listed SAML providers (people.adapters.SocialAccountAdapter.list_apps) lets
    its forms hand over to their IdPs: the login button's POST is redirected there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = getattr(request, ORIGINS_ATTRIBUTE, None)
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = sorted(origins)
            response._csp_update = update
        return response
