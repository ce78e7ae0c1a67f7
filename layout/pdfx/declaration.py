"""What a PDF/X file must declare, as plain data; the painter writes it.

PDF/X-1a:2001: PDF 1.3, an OutputIntent naming the registered newsprint
condition IFRA26 (no embedded profile needed; the plant's own condition with
its profile embedded), the GTS_* version keys and
Trapped in the document info, a document ID.  PDF/X-4: PDF 1.6, the
destination profile embedded in the OutputIntent, the version also in XMP.

ReportLab has no API for these (its setCatalogEntry drops OutputIntents), so
the painter adds them to ReportLab's document objects itself and the file is
written once; a second pass through a PDF library cost an 8-page edition
35 ms (import, parse, rewrite) and a second copy of the file in memory.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..conditions import CONDITIONS, REGISTRY
from .profile import DESCRIPTION as BUNDLED_PROFILE, PROFILE_PATH

OUTPUT_CONDITION = "IFRA26"


@dataclass(frozen=True)
class PdfXDeclaration:
    version: str                        # "X-1a" or "X-4"
    pdf_version: tuple[int, int]        # the file header
    info: tuple[tuple[str, str], ...]   # document info strings, in writing order
    output_intent: tuple[tuple[str, str], ...]   # the OutputIntent's strings
    profile: bytes | None               # DestOutputProfile
    xmp: bytes | None                   # the XMP packet


def pdfx_declaration(*, title: str, date: str, author: str = "", version: str = "X-1a",
                     profile: Path | None = None, condition: str = OUTPUT_CONDITION,
                     plate_version: int | None = None) -> PdfXDeclaration:
    """The declaration, its output intent saying exactly what is declared.

    A registered condition (conditions.CONDITIONS) is named with its registry and
    characterisation; PDF/X-1a needs no profile for it.  Any other condition is
    the plant's own: its profile (required at load) is embedded and named.  X-4
    always embeds a profile: the plant's, or the bundled approximation of
    newsprint.  A plate's version goes into the info (Version) and the XMP.
    """
    x4 = version == "X-4"
    registered = CONDITIONS.get(condition)
    embed = x4 or registered is None
    if registered is not None:
        described = registered.description
        source = f"; profile embedded: {profile.name if profile else BUNDLED_PROFILE}" \
            if embed else ""
        intent = (("OutputConditionIdentifier", condition), ("OutputCondition", described),
                  ("RegistryName", REGISTRY), ("Info", described + source))
    else:
        described = f"{condition}: the plant's own printing condition"
        intent = (("OutputConditionIdentifier", condition), ("OutputCondition", described),
                  ("Info", f"{described}, characterised by the embedded profile "
                           f"{profile.name if profile else BUNDLED_PROFILE}"))
    stamp = "D:" + date.replace("-", "") + "000000Z"     # the edition's date: deterministic
    info = [("Title", title), ("Author", author), ("Subject", title),
            ("Creator", "broadsheet"), ("Producer", "broadsheet"),
            ("CreationDate", stamp), ("ModDate", stamp),
            ("GTS_PDFXVersion", "PDF/X-4" if x4 else "PDF/X-1:2001")]
    if not x4:
        info.append(("GTS_PDFXConformance", "PDF/X-1a:2001"))
    if plate_version is not None:
        info.append(("Version", str(plate_version)))
    return PdfXDeclaration(
        version="X-4" if x4 else "X-1a",
        pdf_version=(1, 6) if x4 else (1, 3),
        info=tuple(info),
        output_intent=intent,
        profile=(profile or PROFILE_PATH).read_bytes() if embed else None,
        xmp=xmp_packet(title, date, plate_version, author) if x4 else None,
    )


def xmp_packet(title: str, date: str, version: int | None = None, author: str = "") -> bytes:
    """The XMP metadata PDF/X-4 asks for, saying what the info dictionary says (title,
    author, subject, dates, tool, producer, trapping, the PDF/X version) and
    identifying the document: DocumentID (the same for every version of it),
    InstanceID and VersionID (this version), RenditionClass.  Dated by the
    edition and identified by name-based UUIDs, so renders stay byte-identical."""
    iso = f"{date}T00:00:00Z"
    number = 1 if version is None else version
    document = uuid.uuid5(uuid.NAMESPACE_URL, f"broadsheet:{author}|{title}|{date}")
    instance = uuid.uuid5(document, f"version {number}")
    text = escape(title, quote=False)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{escape(author, quote=False)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso}</xmp:MetadataDate>
   <xmp:CreatorTool>broadsheet</xmp:CreatorTool>
   <xmpMM:DocumentID>uuid:{document}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{instance}</xmpMM:InstanceID>
   <xmpMM:VersionID>{number}</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdf:Producer>broadsheet</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()
