"""PDF/X-1a:2001 finishing with pikepdf — what ReportLab cannot write.

ReportLab silently drops OutputIntents and has no API for the GTS_* keys, so
we add them afterwards: the OutputIntent naming the registered newsprint
condition IFRA26 (no embedded profile needed for X-1a), the PDF/X version
keys, Trapped, and a PDF 1.3 header without object streams.
"""

from __future__ import annotations

import io

OUTPUT_CONDITION = "IFRA26"
OUTPUT_CONDITION_INFO = "ISO 12647-3:2013 coldset offset on newsprint (IFRA26)"


def finish_pdfx(pdf: bytes, *, title: str, date: str, author: str = "") -> bytes:
    import pikepdf
    from pikepdf import Dictionary, Name, String

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFX,
            OutputConditionIdentifier=String(OUTPUT_CONDITION),
            OutputCondition=String(OUTPUT_CONDITION_INFO),
            RegistryName=String("http://www.color.org"),
            Info=String(OUTPUT_CONDITION_INFO),
        )
        doc.Root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])
        stamp = "D:" + date.replace("-", "") + "000000Z"
        info = doc.docinfo
        info[Name.Title] = String(title)
        info[Name.GTS_PDFXVersion] = String("PDF/X-1:2001")
        info[Name.GTS_PDFXConformance] = String("PDF/X-1a:2001")
        info[Name.Trapped] = Name("/False")
        info[Name.CreationDate] = String(stamp)
        info[Name.ModDate] = String(stamp)
        info[Name.Creator] = String("broadsheet")
        info[Name.Author] = String(author)
        info[Name.Subject] = String(title)
        if Name.Keywords in info:
            del info[Name.Keywords]
        info[Name.Producer] = String("broadsheet")
        out = io.BytesIO()
        # deterministic_id: the document /ID is a hash of the content, so the
        # same spec gives byte-identical files.
        doc.save(out, force_version="1.3", object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 deterministic_id=True, compress_streams=True)
    return out.getvalue()
