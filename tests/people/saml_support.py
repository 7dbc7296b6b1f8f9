"""The local SAML IdP of the tests and how a browser carries a login through it.

The IdP is institutions.demo.saml_idp: pysaml2's IdP over HTTP on loopback, with its own signing
key, metadata and a federation aggregate signed by a federation key. The portal is configured
the way an operator does it (SAML_PROVIDERS, read by ladokportal/settings.py) and reads the IdP
from that signed aggregate.
"""

import html
import importlib.util
import json
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client

import ladokportal.settings
from institutions.demo import saml_idp
from people.models import User

PROVIDER = "lu-saml"
PROVIDER_NAME = "Lund University account (SAML)"
PORTAL_HOST = "portal.test"
OTHER_SP = "https://other-portal.example.se/saml/metadata"


def settings_from_environment():
    """ladokportal/settings.py evaluated afresh against the current environment."""
    spec = importlib.util.spec_from_file_location("_fresh_settings", ladokportal.settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_xmlsec1() -> None:
    """The IdP signs with Debian's xmlsec1 (make saml-deps installs it as root)."""
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 not found: install the Debian package xmlsec1 (make saml-deps)")


def provider_entry(idp: saml_idp.IdentityProvider, **more) -> dict:
    """The SAML_PROVIDERS entry of a university that reads its IdP from signed federation
    metadata, as docs/configuration.md shows it."""
    return {
        "id": PROVIDER,
        "name": PROVIDER_NAME,
        "kind": "student",
        "idp": {
            "entity_id": idp.entity_id,
            "metadata": idp.federation_url,
            "metadata_cert": str(idp.federation.cert_file),
            "metadata_timeout": 60,  # the IdP signs on a machine busy with other tests
        },
        **more,
    }


def configure(settings, monkeypatch, entries: list[dict]) -> None:
    monkeypatch.setenv("SAML_PROVIDERS", json.dumps(entries))
    fresh = settings_from_environment()
    settings.SAML_PROVIDERS = fresh.SAML_PROVIDERS
    settings.SOCIALACCOUNT_PROVIDERS = fresh.SOCIALACCOUNT_PROVIDERS
    settings.CONTENT_SECURITY_POLICY = fresh.CONTENT_SECURITY_POLICY


@dataclass
class Posted:
    """What the IdP's page posts to the portal."""

    acs_url: str
    saml_response: str
    relay_state: str


def idp_answer(page: str) -> Posted:
    action = re.search(r'<form method="post" action="([^"]+)"', page)[1]
    values = dict(re.findall(r'name="(SAMLResponse|RelayState)" value="([^"]*)"', page))
    return Posted(
        html.unescape(action), values["SAMLResponse"], html.unescape(values["RelayState"])
    )


def start_login(client: Client, idp: saml_idp.IdentityProvider) -> str:
    """Press the provider's button on the login page; returns the IdP URL it leads to."""
    page = client.get("/accounts/login/")
    action = f"/accounts/saml/{PROVIDER}/login/?process=login"
    assert f'action="{action}"' in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    start = client.post(action, {"csrfmiddlewaretoken": csrf})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.sso_url}?SAMLRequest=")
    return start["Location"]


def at_idp(location: str, login: str) -> Posted:
    """The person chooses who they are on the IdP's page; the IdP answers with its form."""
    page = requests.get(location, timeout=10)
    assert page.status_code == 200
    form = dict(re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', page.text))
    answer = requests.post(
        location.split("?", maxsplit=1)[0],
        data={k: html.unescape(v) for k, v in form.items()} | {"login": login},
        timeout=10,
    )
    assert answer.status_code == 200
    return idp_answer(answer.text)


def deliver(client: Client, posted: Posted):
    """The browser posts the IdP's answer to the ACS URL and follows the portal's redirect to
    the finishing step; returns the last answer."""
    path = urlsplit(posted.acs_url).path
    acs = client.post(
        path, {"SAMLResponse": posted.saml_response, "RelayState": posted.relay_state}
    )
    if acs.status_code != 302:
        return acs
    return client.get(acs["Location"])


def log_in(client: Client, idp: saml_idp.IdentityProvider, login: str):
    return deliver(client, at_idp(start_login(client, idp), login))


def logged_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None
