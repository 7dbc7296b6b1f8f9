"""camt.054 documents for the tests, written the way a Swedish bank writes them."""

from decimal import Decimal

NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


def transaction(ref: str, ocr: str, amount: Decimal | str, *, ccy: str = "SEK") -> str:
    return f"""
        <TxDtls>
          <Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs>
          <Amt Ccy="{ccy}">{amount}</Amt>
          <RltdPties><Dbtr><Nm>Payer {ref}</Nm></Dbtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>{ocr}</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls>"""


def document(*transactions: str, message_id: str = "MSG-1", day: str = "2026-12-01") -> bytes:
    entries = "".join(
        f"""
      <Ntry>
        <Amt Ccy="SEK">1.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt>
        <AcctSvcrRef>E{index}</AcctSvcrRef>
        <NtryDtls>{tx}</NtryDtls>
      </Ntry>"""
        for index, tx in enumerate(transactions)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>N1</Id>
      <Acct><Id><Othr><Id>5050-1055</Id></Othr></Id></Acct>{entries}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
""".encode()
