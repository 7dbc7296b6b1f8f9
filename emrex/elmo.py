"""ELMO documents (EMREX ELMO 1.7, emrex-eu/elmo-schemas): reading what a contact point sends
back and writing the student's own results for a foreign university.

Reading refuses, with a message saying why, anything that is not: base64 of gzip (or of plain
XML) within a size limit; XML without DTDs or entities; signed with an enveloped XML signature
whose single reference covers the whole document (URI ""), as the schema's annotation on
ds:Signature requires, verified against the contact point's certificate alone (a certificate
the document carries itself is not trusted); valid against the ELMO schema set in
settings.ELMO_SCHEMA_DIR.
"""

import base64
import binascii
import datetime
import gzip
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ladokportal.errors import DomainError

NS = "https://github.com/emrex-eu/elmo-schemas/tree/v1"
DS = "http://www.w3.org/2000/09/xmldsig#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 5 * 1024 * 1024


class ElmoError(DomainError):
    pass


@dataclass(frozen=True)
class Merit:
    issuer: str
    country: str
    title: str
    credits: Decimal | None
    scheme: str
    grade: str
    completed_on: datetime.date | None


@cache
def schema():
    import xmlschema

    path = Path(settings.ELMO_SCHEMA_DIR) / "schema.xsd"
    if not path.is_file():
        raise ElmoError(_("The ELMO schema set is not installed here (ELMO_SCHEMA_DIR)."))
    return xmlschema.XMLSchema(str(path))


def decode(elmo: str) -> bytes:
    """The XML a contact point posted: base64 of gzip-compressed (or plain) XML."""
    try:
        raw = base64.b64decode(elmo.strip(), validate=False)
    except (binascii.Error, ValueError):
        raise ElmoError(_("The document could not be read: it is not base64.")) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            decompressor = zlib.decompressobj(wbits=31)
            raw = decompressor.decompress(raw, MAX_BYTES + 1)
        except (zlib.error, OSError, EOFError):
            raise ElmoError(_("The document could not be read: it is not valid gzip.")) from None
    if len(raw) > MAX_BYTES:
        raise ElmoError(_("The document is too large."))
    return raw


def encode(xml: bytes) -> str:
    return base64.b64encode(gzip.compress(xml)).decode()


def _parse(xml: bytes):
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise ElmoError(_("The document is not well-formed XML.")) from None


def verify(xml: bytes, certificate: str) -> bytes:
    """The signed XML if its enveloped signature holds for the certificate, else ElmoError."""
    from signxml import InvalidInput, InvalidSignature, XMLVerifier

    root = _parse(xml)
    if root.tag != f"{{{NS}}}elmo":
        raise ElmoError(_("The document is not an ELMO document."))
    signatures = root.findall(f"{{{DS}}}Signature")
    references = root.findall(f"{{{DS}}}Signature/{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if len(signatures) != 1 or len(references) != 1 or references[0].get("URI") != "":
        raise ElmoError(_("The document is not signed as ELMO requires (one enveloped signature)."))
    try:
        verified = XMLVerifier().verify(xml, x509_cert=certificate, expect_references=1)
    except (InvalidSignature, InvalidInput) as error:
        raise ElmoError(
            _("The document's signature does not hold for this contact point's key (%(why)s).")
            % {"why": type(error).__name__}
        ) from None
    except Exception:
        raise ElmoError(_("The document's signature could not be checked.")) from None
    return verified.signed_data


def validate(xml: bytes) -> None:
    """ELMO 1.7: the schema, and the annotation rules checked here."""
    errors = list(schema().iter_errors(xml.decode("utf-8", errors="replace")))
    if errors:
        raise ElmoError(
            _("The document is not valid ELMO: %(reason)s") % {"reason": errors[0].reason}
        )
    root = _parse(xml)
    # "gradingScheme" localIds referenced from a result must exist in the same report.
    for report in root.findall(f"{{{NS}}}report"):
        known = {g.get("localId") for g in report.findall(f"{{{NS}}}gradingScheme")}
        for used in report.iter(f"{{{NS}}}gradingSchemeLocalId"):
            if used.text not in known:
                raise ElmoError(
                    _("The document is not valid ELMO: grading scheme %(id)s is not described.")
                    % {"id": used.text}
                )


def _title(element) -> str:
    titles = element.findall(f"{{{NS}}}title")
    english = [t for t in titles if t.get(XML_LANG) == "en"]
    chosen = (english or titles)[:1]
    return chosen[0].text.strip() if chosen and chosen[0].text else ""


def merits(xml: bytes) -> list[Merit]:
    """The passed courses the document reports, one per learning opportunity instance."""
    root = _parse(xml)
    found = []
    for report in root.findall(f"{{{NS}}}report"):
        issuer = report.find(f"{{{NS}}}issuer")
        name = _title(issuer)
        country = issuer.findtext(f"{{{NS}}}country") or ""
        for spec in report.iter(f"{{{NS}}}learningOpportunitySpecification"):
            instance = spec.find(f"{{{NS}}}specifies/{{{NS}}}learningOpportunityInstance")
            if instance is None:
                continue
            credit = instance.find(f"{{{NS}}}credit")
            value = credit.findtext(f"{{{NS}}}value") if credit is not None else None
            try:
                credits = Decimal(value) if value else None
            except InvalidOperation:
                credits = None
            date = instance.findtext(f"{{{NS}}}date")
            found.append(
                Merit(
                    issuer=name,
                    country=country,
                    title=_title(spec),
                    credits=credits,
                    scheme=(credit.findtext(f"{{{NS}}}scheme") or "") if credit is not None else "",
                    grade=instance.findtext(f"{{{NS}}}resultLabel") or "",
                    completed_on=datetime.date.fromisoformat(date[:10]) if date else None,
                )
            )
    return found


# --- Writing ------------------------------------------------------------------------------------


def element(tag: str, *children, text: str | None = None, **attributes):
    from lxml import etree

    node = etree.Element(f"{{{NS}}}{tag}", nsmap={None: NS} if tag == "elmo" else None)
    for name, value in attributes.items():
        node.set(XML_LANG if name == "lang" else name, value)
    if text is not None:
        node.text = text
    for child in children:
        if child is not None:
            node.append(child)
    return node


def sign(root, key_pem: bytes, cert_pem: bytes, *, algorithm: str) -> bytes:
    """An enveloped signature over the whole document with its certificate in KeyInfo."""
    from lxml import etree
    from signxml import XMLSigner, methods

    signed = XMLSigner(
        method=methods.enveloped, signature_algorithm=algorithm, digest_algorithm="sha256"
    ).sign(root, key=key_pem, cert=cert_pem)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
