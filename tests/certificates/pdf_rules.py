"""The rules of PDF/A-3b (ISO 19005-3, as veraPDF's profile states them) and of tagged PDF
(ISO 14289-1, PDF/UA) that can be checked with the libraries at hand (pypdf, poppler's pdfinfo
and pdfsig). docs/documents.md lists which are checked here and which are not.

Each function returns the rules a file breaks, as readable lines: an empty list is a pass.
"""

import io
import re
import shutil
import subprocess
import tempfile

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
DC = "http://purl.org/dc/elements/1.1/"


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def pdf_a_3b_violations(data: bytes) -> list[str]:
    reader = _reader(data)
    root = reader.trailer["/Root"]
    broken = []
    header = data[:9]
    if header != b"%PDF-1.7\n" and not re.match(rb"%PDF-1\.[0-7]", header):
        broken.append(f"6.1.2 header {header!r} is not PDF 1.x")
    if "/Version" in root and str(root["/Version"]).lstrip("/") > "1.7":
        broken.append(f"6.1.2 catalog /Version {root['/Version']} is above 1.7")
    if "/Encrypt" in reader.trailer:
        broken.append("6.1.3 the file is encrypted")
    if "/ID" not in reader.trailer:
        broken.append("6.1.3 the trailer has no /ID")
    broken += _metadata(reader, root)
    broken += _output_intent(root)
    broken += _fonts_embedded(reader)
    broken += _annotations(reader)
    if "/JavaScript" in str(root.get("/Names", {})) or "/AA" in root:
        broken.append("6.6 the catalog names JavaScript or additional actions")
    return broken


def _metadata(reader, root) -> list[str]:
    if "/Metadata" not in root:
        return ["6.7.2 no XMP metadata stream"]
    xmp = reader.xmp_metadata
    broken = []
    declared = [
        node.value for name in ("part", "conformance") for node in xmp.get_element("", PDFAID, name)
    ]
    if declared != ["3", "B"]:
        broken.append(f"6.7.11 pdfaid part/conformance is {declared}, not 3/B")
    info = reader.metadata or {}
    xmp_producer = [n.value for n in xmp.get_element("", PDF_NS, "Producer")]
    if "/Producer" in info and xmp_producer != [str(info["/Producer"])]:
        broken.append(f"6.7.3 Info /Producer {info['/Producer']!r} is not XMP {xmp_producer}")
    if "/Title" in info and xmp.dc_title.get("x-default") != str(info["/Title"]):
        broken.append(f"6.7.3 Info /Title {info['/Title']!r} is not XMP {xmp.dc_title}")
    pairs = {
        "/Author": ", ".join(xmp.dc_creator or []),
        "/Subject": (xmp.dc_description or {}).get("x-default"),
        "/Creator": xmp.xmp_creator_tool,
    }
    broken += [
        f"6.7.3 Info {key} {info[key]!r} is not XMP {value!r}"
        for key, value in pairs.items()
        if key in info and str(info[key]) != value
    ]
    unchecked = ("/ModDate", "/CreationDate", "/Keywords")
    broken += [f"6.7.3 Info {key} is not compared with XMP" for key in unchecked if key in info]
    return broken


def _output_intent(root) -> list[str]:
    intents = root.get("/OutputIntents") or []
    pdfa = [i.get_object() for i in intents if i.get_object().get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        return ["6.2.3 not exactly one GTS_PDFA1 output intent"]
    if "/DestOutputProfile" not in pdfa[0]:
        return ["6.2.3 the output intent has no ICC profile"]
    return []


def _fonts_embedded(reader) -> list[str]:
    broken = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for name, ref in fonts.items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor_of = descendants[0].get_object() if descendants else font
            descriptor = descriptor_of.get("/FontDescriptor")
            if descriptor is None or not any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                broken.append(f"6.2.11.4 font {name} on page {number} is not embedded")
    return broken


def _annotations(reader) -> list[str]:
    broken = []
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            flags = int(annotation.get("/F", 0))
            if annotation.get("/Subtype") != "/Popup" and not flags & 4:
                broken.append(f"6.3.2 an annotation on page {number} has no print flag")
            if flags & (1 | 2 | 32):
                broken.append(f"6.3.2 an annotation on page {number} is hidden")
    return broken


def structure_roles(data: bytes) -> list[str]:
    """The structure types of the tagged PDF's tree, in reading order (depth first)."""
    root = _reader(data).trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    roles: list[str] = []

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id
        if "/S" in node:
            roles.append(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"].get_object().get("/K"))
    return roles


def tagged_pdf_violations(data: bytes) -> list[str]:
    root = _reader(data).trailer["/Root"]
    broken = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        broken.append("PDF/UA 7.1 /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in root:
        broken.append("PDF/UA 7.1 no structure tree")
    if not str(root.get("/Lang", "")):
        broken.append("PDF/UA 7.2 the catalog names no natural language")
    if pdfinfo(data).get("Tagged") != "yes":
        broken.append("pdfinfo does not call the file tagged")
    return broken


def pdfinfo(data: bytes) -> dict[str, str]:
    out = _poppler("pdfinfo", data)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.splitlines())
    )


def pdfsig_valid(data: bytes) -> bool:
    out = _poppler("pdfsig", data)
    return "Signature is Valid." in out and "Total document signed" in out


def _poppler(tool: str, data: bytes) -> str:
    import pytest

    program = shutil.which(tool)
    if program is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run([program, file.name], capture_output=True, check=False).stdout.decode(
            "utf-8", "replace"
        )
