"""Reading ISO 20022 camt.054 (Bank to customer debit/credit notification), the file Swedish
banks deliver incoming bank giro payments in, into plain payments.

The parser is hardened: no DTD, no entity expansion, no network, no huge trees, so a hostile
file can neither read local files nor blow up memory. Anything that is not a camt.054 document
is refused as a whole with a message fit to show; nothing of it is booked.

Each transaction (`NtryDtls/TxDtls`) of a credit entry is one payment. Its identity is the bank's
own reference (`Refs/AcctSvcrRef`, else the entry's `AcctSvcrRef` with the transaction's place in
it), which the booking keeps unique per university. Debit entries are not incoming payments and
are left out.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

from fees.errors import BankFileError
from fees.ocr import normalise

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.054."
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CamtPayment:
    bank_reference: str
    reference: str
    amount: Decimal
    currency: str
    booking_date: datetime.date
    debtor: str


@dataclass(frozen=True)
class Notification:
    message_id: str
    payments: tuple[CamtPayment, ...]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> Notification:
    if len(data) > MAX_BYTES:
        raise BankFileError(_("The file is too large for a bank file."))
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data:
        raise BankFileError(_("The file is not a camt.054 bank file (it declares a DTD)."))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError:
        raise BankFileError(_("The file is not well-formed XML; nothing was read.")) from None
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith(NAMESPACE_PREFIX):
        raise BankFileError(
            _("The file is not a camt.054 bank file (ISO 20022 debit/credit notification).")
        )
    ns = {"c": namespace}
    body = root.find("c:BkToCstmrDbtCdtNtfctn", ns)
    if body is None:
        raise BankFileError(_("The camt.054 file has no notification in it."))
    message_id = body.findtext("c:GrpHdr/c:MsgId", default="", namespaces=ns)
    payments: list[CamtPayment] = []
    for entry in body.iterfind("c:Ntfctn/c:Ntry", ns):
        payments.extend(_entry_payments(entry, ns))
    return Notification(message_id=message_id.strip(), payments=tuple(payments))


def _entry_payments(entry, ns: dict) -> list[CamtPayment]:
    if entry.findtext("c:CdtDbtInd", namespaces=ns) != "CRDT":
        return []
    entry_ref = (entry.findtext("c:AcctSvcrRef", default="", namespaces=ns) or "").strip()
    booked = _date(entry, "c:BookgDt", ns) or _date(entry, "c:ValDt", ns)
    details = entry.findall("c:NtryDtls/c:TxDtls", ns)
    if not details:
        raise BankFileError(_("An entry of the file has no transaction details."))
    rows = []
    for place, tx in enumerate(details, start=1):
        ref = (tx.findtext("c:Refs/c:AcctSvcrRef", default="", namespaces=ns) or "").strip()
        if not ref:
            if not entry_ref:
                raise BankFileError(_("A payment in the file has no bank reference."))
            ref = f"{entry_ref}/{place}"
        amount_node = tx.find("c:Amt", ns)
        if amount_node is None and len(details) == 1:
            amount_node = entry.find("c:Amt", ns)
        if amount_node is None or booked is None:
            raise BankFileError(_("A payment in the file has no amount or no date."))
        rows.append(
            CamtPayment(
                bank_reference=ref[:100],
                reference=normalise(_reference(tx, ns))[:40],
                amount=_amount(amount_node.text),
                currency=(amount_node.get("Ccy") or "").upper()[:3],
                booking_date=booked,
                debtor=_debtor(tx, ns)[:140],
            )
        )
    return rows


def _reference(tx, ns: dict) -> str:
    structured = tx.findtext("c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", namespaces=ns)
    if structured:
        return structured
    return tx.findtext("c:RmtInf/c:Ustrd", default="", namespaces=ns)


def _debtor(tx, ns: dict) -> str:
    for path in ("c:RltdPties/c:Dbtr/c:Nm", "c:RltdPties/c:Dbtr/c:Pty/c:Nm"):
        name = tx.findtext(path, namespaces=ns)
        if name:
            return name.strip()
    return ""


def _amount(text: str | None) -> Decimal:
    try:
        amount = Decimal((text or "").strip())
    except InvalidOperation:
        raise BankFileError(
            _("A payment in the file has an amount that is not a number.")
        ) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise BankFileError(_("A payment in the file has an amount that is not a sum in kronor."))
    return amount.quantize(Decimal("0.01"))


def _date(entry, tag: str, ns: dict) -> datetime.date | None:
    node = entry.find(tag, ns)
    if node is None:
        return None
    text = (
        node.findtext("c:Dt", namespaces=ns) or (node.findtext("c:DtTm", namespaces=ns) or "")[:10]
    )
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise BankFileError(_("A payment in the file has a date that cannot be read.")) from None
