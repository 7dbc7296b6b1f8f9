"""Keeping a rendered PDF/A-3b what it claims to be when the seal is added (#16, DESIGN.md §
Documents). Imported only where a seal is put on, since it imports pyHanko.

WeasyPrint writes PDF/A-3b: PDF 1.7, Info and XMP metadata that agree. pyHanko's incremental
update, left to itself, breaks both: an elliptic-curve key makes it raise the catalog's /Version
to 2.0 (ISO 32002), and it writes its own name as the XMP producer while appending it to the Info
producer. `PdfA3Writer` keeps the version at 1.7 and declares only extensions of PDF 1.7 (ETSI's
PAdES extension; not ISO 32002, an extension of PDF 2.0: PDF 1.7 readers check ECDSA seals
without it), and writes one producer, the same in both places.
"""

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model, xmp_xml

PDF_A3_VERSION = (1, 7)


class PdfA3Writer(IncrementalPdfFileWriter):
    def ensure_output_version(self, version) -> None:
        super().ensure_output_version(min(tuple(version), PDF_A3_VERSION))

    def register_extension(self, ext) -> None:
        if str(ext.base_version).lstrip("/") <= "1.7":
            super().register_extension(ext)

    def _update_meta(self) -> None:
        super()._update_meta()
        if self._info is None or "/Metadata" not in self.root:
            return
        info = self._info.get_object()
        producer = str(info.get("/Producer", model.VENDOR))
        stream = self.root["/Metadata"]
        if not isinstance(stream, xmp_xml.MetadataStream):
            return
        fields = {name: value for structure in stream.xmp for name, value in structure}
        fields[model.PDF_PRODUCER] = model.XmpValue(producer)
        stream._xmp = [model.XmpStructure(fields)]
        stream._reserialise()
        stream._encoded_data = None
        self.update_container(stream)
        info["/Producer"] = generic.TextStringObject(producer)


class ValidationDataWriter(PdfA3Writer):
    """The revision after a timestamped seal that adds its validation data (the DSS): no change
    to the document, so neither its dates nor its producer are touched, and the verification
    page can tell that the revision adds nothing but the DSS (certificates.seal)."""

    def _update_meta(self) -> None:
        pass
