"""A local SAML identity provider for the demo and the tests (S-AUTH-1).

Built on pysaml2's IdP support (saml2.server.Server): it reads the portal's AuthnRequest from the
HTTP-Redirect binding, lets the person pick who they are, and answers with a Response signed by
its own key (xmlsec1) through the HTTP-POST binding, as a university's Shibboleth IdP does. It
publishes its own metadata and a federation aggregate (an EntitiesDescriptor holding that
metadata) signed by a separate federation key, so the portal reads it the way it reads SWAMID's.

    python -m institutions.demo.saml_idp --port 8001 --state var/saml-idp

It keeps its keys in the state folder (made on the first start) and serves on loopback only.
The tests run it in a thread (`IdentityProvider.serve()`) and ask it for answers a careful
service provider must refuse (`Tweaks`); the demo's pages never offer those.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ladokportal import clock

# The attributes as the Swedish federation (SWAMID) and eduID send them, by their URI names.
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
NOR_EDU_PERSON_NIN = "urn:oid:1.3.6.1.4.1.2428.90.1.5"
PERSONAL_IDENTITY_NUMBER = "urn:oid:1.2.752.29.4.13"
SCHAC_DATE_OF_BIRTH = "urn:oid:1.3.6.1.4.1.25178.1.2.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

FRIENDLY_NAMES = {
    EPPN: "eduPersonPrincipalName",
    NOR_EDU_PERSON_NIN: "norEduPersonNIN",
    PERSONAL_IDENTITY_NUMBER: "personalIdentityNumber",
    SCHAC_DATE_OF_BIRTH: "schacDateOfBirth",
    GIVEN_NAME: "givenName",
    SURNAME: "sn",
    DISPLAY_NAME: "displayName",
    MAIL: "mail",
}


def person(
    eppn: str,
    given_name: str,
    surname: str,
    *,
    nin: str = "",
    nin_attribute: str = NOR_EDU_PERSON_NIN,
    date_of_birth: str = "",
    mail: str = "",
    **more: str,
) -> dict[str, list[str]]:
    """The attributes the IdP releases about one person, each a list of values."""
    attributes = {
        EPPN: [eppn],
        GIVEN_NAME: [given_name],
        SURNAME: [surname],
        DISPLAY_NAME: [f"{given_name} {surname}"],
    }
    if nin:
        attributes[nin_attribute] = [nin]
    if date_of_birth:
        attributes[SCHAC_DATE_OF_BIRTH] = [date_of_birth]
    if mail:
        attributes[MAIL] = [mail]
    for name, value in more.items():
        attributes[name] = [value]
    return attributes


@dataclass
class Tweaks:
    """What the IdP does wrong on purpose, for the tests of what the portal refuses."""

    sign_assertion: bool = True
    sign_response: bool = True
    other_key: bool = False  # sign with a key the federation never published
    audience: str | None = None  # another service provider's entity id
    destination: str | None = None  # another ACS URL
    unsolicited: bool = False  # IdP-initiated: in response to no request


@dataclass
class Keys:
    key_file: Path
    cert_file: Path

    @property
    def certificate(self) -> str:
        """The certificate's base64 body, as metadata and settings carry it."""
        lines = self.cert_file.read_text().strip().splitlines()
        return "".join(line for line in lines if "CERTIFICATE" not in line)


def make_keys(folder: Path, name: str) -> Keys:
    """A 2048-bit RSA key and a self-signed certificate, made once and kept in `folder`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    keys = Keys(folder / f"{name}.key", folder / f"{name}.crt")
    if keys.key_file.exists() and keys.cert_file.exists():
        return keys
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Demo SAML {name}")])
    start = clock.now() - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    keys.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    keys.key_file.chmod(0o600)
    keys.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return keys


@dataclass
class IdentityProvider:
    """One IdP: its entity id and endpoints under `base_url`, its people by login name."""

    state: Path
    host: str = "127.0.0.1"
    port: int = 0
    people: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    title: str = "Lund University account"
    # Tweaks for the next answer, for the tests; the demo never sets them.
    tweaks: Tweaks = field(default_factory=Tweaks)
    public_host: str | None = None  # the name the browser uses, when not `host`

    def __post_init__(self) -> None:
        self.signing = make_keys(self.state, "idp-signing")
        self.stranger = make_keys(self.state, "not-published")
        self.federation = make_keys(self.state, "federation")
        self._server: ThreadingHTTPServer | None = None
        self._servers = {}
        self._service_providers: dict[str, str] = {}  # entity id -> metadata
        self._published: tuple[datetime.datetime, str] | None = None

    # --- addresses --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.public_host or self.host}:{self.port}"

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/idp"

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/sso"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def federation_url(self) -> str:
        return f"{self.base_url}/federation.xml"

    # --- SAML ---------------------------------------------------------------------------------

    def _saml_server(self, keys: Keys):
        """pysaml2's IdP with the given signing key (the published one or a stranger)."""
        if keys.key_file in self._servers:
            return self._servers[keys.key_file]
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
        from saml2.server import Server

        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "description": self.title,
                "service": {
                    "idp": {
                        "name": self.title,
                        "endpoints": {
                            "single_sign_on_service": [
                                (self.sso_url, BINDING_HTTP_REDIRECT),
                                (self.sso_url, BINDING_HTTP_POST),
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "want_authn_requests_signed": False,
                        "sign_response": True,
                        "sign_assertion": True,
                    }
                },
                "key_file": str(keys.key_file),
                "cert_file": str(keys.cert_file),
                "xmlsec_binary": _xmlsec1(),
                "signing_algorithm": RSA_SHA256,
                "digest_algorithm": SHA256,
                "metadata": {},
            }
        )
        server = Server(config=config)
        for metadata in self._service_providers.values():
            server.metadata.load("inline", metadata)
        self._servers[keys.key_file] = server
        return server

    def register_sp(self, metadata: str, *, entity_id: str | None = None) -> None:
        """Trust a service provider: its metadata, as a federation hands it to the IdP.
        `entity_id` registers the same metadata under another name (a stranger SP)."""
        if entity_id:
            from lxml import etree

            root = etree.fromstring(metadata.encode())
            root.set("entityID", entity_id)
            metadata = etree.tostring(root).decode()
        from lxml import etree

        name = etree.fromstring(metadata.encode()).get("entityID")
        self._service_providers[name] = metadata
        for server in self._servers.values():
            server.metadata.load("inline", metadata)

    def _known_sp(self, entity_id: str) -> None:
        """The demo's IdP learns a portal it does not know from the portal's metadata URL,
        which is its entity id (loopback only)."""
        if entity_id in self._service_providers:
            return
        from urllib.request import urlopen

        if urlsplit(entity_id).hostname not in {"127.0.0.1", "localhost"}:
            raise ValueError(f"unknown service provider {entity_id}")
        with urlopen(entity_id, timeout=5) as answer:  # noqa: S310 (loopback http only)
            self.register_sp(answer.read().decode())

    def metadata(self) -> str:
        """This IdP's own EntityDescriptor, unsigned (the federation signs the aggregate)."""
        from saml2.metadata import entity_descriptor

        return str(entity_descriptor(self._saml_server(self.signing).config))

    def federation_metadata(self, *, valid_for: datetime.timedelta | None = None) -> str:
        """A federation aggregate holding this IdP, signed with the federation's key, as
        SWAMID publishes its metadata (an EntitiesDescriptor with validUntil)."""
        from saml2 import md
        from saml2.metadata import entity_descriptor
        from saml2.sigver import security_context

        server = self._saml_server(self.signing)
        valid_for = valid_for or datetime.timedelta(days=7)
        until = clock.now() + valid_for
        entities = md.EntitiesDescriptor(
            name="urn:demo:federation",
            valid_until=until.strftime("%Y-%m-%dT%H:%M:%SZ"),
            entity_descriptor=[entity_descriptor(server.config)],
        )
        entities.id = f"_{uuid.uuid4().hex}"
        from saml2.sigver import pre_signature_part

        entities.signature = pre_signature_part(
            entities.id, self.federation.certificate, sign_alg=RSA_SHA256, digest_alg=SHA256
        )
        config = server.config
        context = security_context(config)
        context.key_file = str(self.federation.key_file)
        context.my_cert = self.federation.certificate
        return context.sign_statement(
            str(entities),
            node_name="urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor",
            key_file=str(self.federation.key_file),
            node_id=entities.id,
        )

    def published_metadata(self) -> str:
        """The aggregate the federation publishes: signed once, again when a day old."""
        made, xml = self._published or (None, "")
        if made is None or clock.now() - made > datetime.timedelta(days=1):
            xml = self.federation_metadata()
            self._published = (clock.now(), xml)
        return xml

    def answer(self, login: str, saml_request: str | None, *, acs_url: str = "", sp: str = ""):
        """The signed Response for `login`, and the ACS URL it goes to. `saml_request` is the
        HTTP-Redirect binding's SAMLRequest (None for an IdP-initiated login to `acs_url`)."""
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

        tweaks = self.tweaks
        server = self._saml_server(self.stranger if tweaks.other_key else self.signing)
        in_response_to = None
        if saml_request is not None and not tweaks.unsolicited:
            request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
            in_response_to = request.id
            acs_url = request.assertion_consumer_service_url
            sp = request.issuer.text
        self._known_sp(sp)
        attributes = self.people[login]
        name_id = NameID(
            format=NAMEID_FORMAT_PERSISTENT,
            sp_name_qualifier=sp,
            name_qualifier=self.entity_id,
            text=uuid.uuid5(uuid.NAMESPACE_URL, f"{sp}|{login}").hex,
        )
        response = server.create_authn_response(
            identity=attributes,
            in_response_to=in_response_to,
            destination=tweaks.destination or acs_url,
            sp_entity_id=tweaks.audience or sp,
            name_id=name_id,
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
                "authn_auth": self.entity_id,
            },
            sign_response=tweaks.sign_response,
            sign_assertion=tweaks.sign_assertion,
            sign_alg=RSA_SHA256,
            digest_alg=SHA256,
        )
        return str(response), acs_url

    # --- HTTP --------------------------------------------------------------------------------

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"idp": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._servers.clear()  # the entity id names the port
        self._published = None
        # Ready before the first request: signing takes xmlsec1 a moment on a busy machine.
        self._saml_server(self.signing)
        self._saml_server(self.stranger)
        self.published_metadata()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @contextmanager
    def serve(self) -> Iterator[IdentityProvider]:
        self.start()
        try:
            yield self
        finally:
            self.stop()


def _xmlsec1() -> str:
    import shutil

    found = shutil.which("xmlsec1")
    if not found:
        raise RuntimeError("xmlsec1 is missing: install the Debian package xmlsec1")
    return found


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    idp: IdentityProvider

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: str, content_type: str = "text/html") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/metadata":
            self._send(200, self.idp.metadata(), "application/samlmetadata+xml")
        elif url.path == "/federation.xml":
            self._send(200, self.idp.published_metadata(), "application/samlmetadata+xml")
        elif url.path == "/sso" and "SAMLRequest" in query:
            self._send(200, self._login_page(query["SAMLRequest"], query.get("RelayState", "")))
        else:
            self._send(404, PAGE.format(title="Not found", body=""))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path != "/sso" or form.get("login") not in self.idp.people:
            self._send(400, PAGE.format(title="Bad request", body=""))
            return
        response, acs_url = self.idp.answer(
            form["login"],
            form.get("SAMLRequest"),
            acs_url=form.get("acs", ""),
            sp=form.get("sp", ""),
        )
        self._send(200, post_form(acs_url, response, form.get("RelayState", "")))

    def _login_page(self, saml_request: str, relay_state: str) -> str:
        buttons = "".join(
            f'<p><button type="submit" name="login" value="{html.escape(login)}">'
            f"{html.escape(' '.join(attributes[DISPLAY_NAME]))}</button></p>"
            for login, attributes in self.idp.people.items()
        )
        body = (
            "<p>Choose who you are.</p>"
            f'<form method="post" action="/sso">'
            f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
            f"{buttons}</form>"
        )
        return PAGE.format(title=html.escape(self.idp.title), body=body)


def post_form(acs_url: str, response: str, relay_state: str) -> str:
    """The HTTP-POST binding: a form that carries the Response to the portal's ACS. A button
    sends it without JavaScript."""
    encoded = base64.b64encode(response.encode()).decode()
    body = (
        f'<form method="post" action="{html.escape(acs_url)}">'
        f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<p><button type="submit">Continue to Ladok</button></p></form>'
    )
    return PAGE.format(title="Logging you in", body=body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--state", default="var/saml-idp", help="folder for the keys")
    parser.add_argument(
        "--settings",
        action="store_true",
        help="print the portal's SAML_PROVIDERS for this IdP and stop",
    )
    args = parser.parse_args()
    from institutions.demo import saml

    if args.settings:
        print(json.dumps(saml.provider_settings(args.port, args.state)))
        return
    import os
    import warnings

    import django

    # pysaml2 names a cipher mode that cryptography moved; nothing here uses it.
    warnings.filterwarnings("ignore", message="CFB has been moved")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")
    django.setup()
    idp = IdentityProvider(state=Path(args.state), port=args.port, people=saml.demo_people())
    idp.title = saml.PROVIDER_NAME
    idp.start()
    print(f"SAML identity provider at {idp.base_url}/ (metadata {idp.federation_url})", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
