"""One kind of finding for every stage: what is wrong, where, and how to fix it.

Every finding carries a stable code from `CODES` (documented in
docs/findings.md); tools, tests and the desk select findings by code, so the
wording of a message can change freely.  Stages make findings and return
them with their results; only the edge (the command line, a report) renders
them.

>>> f = Finding("layout.overset", "story 'a' is overset by 3 lines", page=2, story="a")
>>> f.severity, f.where()
('error', 'page 2, story a')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .errors import SourcePlace

ERROR, WARNING, INFO = "error", "warning", "info"


class Code(NamedTuple):
    severity: str       # the usual severity; a check may raise or lower it
    stage: str          # which stage reports it
    title: str          # one line for the codes table


CODES: dict[str, Code] = {
    # spec: what loading accepted but the desk should know
    "copy.encoding": Code(WARNING, "load", "copy file not in UTF-8, read as GB18030"),
    "copy.normalized": Code(INFO, "place", "the engine changed the copy (style: normalize)"),
    # place: the layout's own findings
    "layout.overset": Code(ERROR, "place, check", "a story does not fit its frames (check: "
                                                  "a PDF with overset marks)"),
    "layout.orphan": Code(WARNING, "place", "孤行: a paragraph's last line alone at a column top"),
    "layout.grid": Code(WARNING, "place", "the grid does not fit the page as specified"),
    "layout.overlap": Code(ERROR, "place", "two elements on the same part of the page"),
    "layout.outside": Code(ERROR, "place", "a story's line, photo or caption outside its box, "
                                           "or anything past the trim"),
    "layout.cut": Code(ERROR, "place", "text of the masthead, folio or index box that its "
                                       "box cannot hold (not printed)"),
    "layout.wrap": Code(ERROR, "place", "a line that runs into the stand-off of a photo the "
                                        "text is wrapped round"),
    "type.loose": Code(WARNING, "place", "a justified line stretched past the house limit "
                                         "(style: loose_limit)"),
    "type.forced": Code(WARNING, "place", "a line broken where no break is allowed (a word "
                                          "divided, a run too long for the column)"),
    "font.missing": Code(ERROR, "place", "a character no font has (not printed)"),
    "font.fallback": Code(WARNING, "place", "a character set in a fallback font"),
    "ink.reseparated": Code(WARNING, "place", "a CMYK photo over the ink limit, re-separated"),
    "image.resolution": Code(WARNING, "place, check", "a photo or an image ad below press "
                                                      "resolution"),
    "ad.missing": Code(ERROR, "place, check", "an ad with no artwork yet: its placeholder is "
                                              "printed"),
    "ad.separated": Code(WARNING, "place", "an image ad not in CMYK, separated here"),
    # typography: proofing of the layout and of any PDF's text
    "type.kinsoku": Code(ERROR, "check", "禁则: a line starts or ends with a forbidden mark"),
    "type.widow": Code(WARNING, "check", "孤字: a one-character last line"),
    "type.column-top": Code(ERROR, "check", "punctuation at the top of a column"),
    "copy.half-width": Code(ERROR, "check", "half-width punctuation among Chinese text"),
    "copy.full-width": Code(WARNING, "check", "full-width digits or Latin letters"),
    "copy.doubled": Code(ERROR, "check", "doubled punctuation"),
    "copy.unmatched": Code(ERROR, "check", "a quote or bracket that is never closed or "
                                           "closes nothing"),
    "jump.missing": Code(ERROR, "check", "a continued story without its jump line"),
    "index.page": Code(ERROR, "place, check", "an index entry names the wrong page"),
    # preflight: what the plant checks in any PDF
    "pdf.syntax": Code(ERROR, "check", "an unreadable content stream"),
    "pdf.damaged": Code(ERROR, "check", "a damaged file (no cross-reference table, cut "
                                        "short …) that had to be rebuilt to be read"),
    "pdfx.output-intent": Code(ERROR, "check", "PDF/X output intent missing or incomplete"),
    "pdfx.version": Code(ERROR, "check", "PDF/X version or conformance missing, not a "
                                         "PDF/X version, or a PDF version it does not allow"),
    "pdfx.metadata": Code(ERROR, "check", "title or dates missing or malformed, or XMP that "
                                          "disagrees with the info"),
    "pdfx.trapped": Code(ERROR, "check", "Trapped is not True or False"),
    "pdfx.id": Code(ERROR, "check", "no document ID"),
    "pdfx.encrypted": Code(ERROR, "check", "the PDF is encrypted"),
    "pdfx.action": Code(ERROR, "check", "JavaScript or actions in the document, a page or "
                                        "an annotation"),
    "pdfx.annotation": Code(ERROR, "check", "an annotation or form field inside the trim"),
    "pdf.postscript": Code(ERROR, "check", "a PostScript XObject"),
    "pdf.too-complex": Code(ERROR, "check", "too complex to check: forms drawing themselves, "
                                            "streams inflating past the limit, too many "
                                            "operators or nested states"),
    "boxes.trim": Code(ERROR, "check", "TrimBox missing, doubled by an ArtBox, or outside "
                                       "the BleedBox"),
    "boxes.media": Code(ERROR, "check", "BleedBox or TrimBox past the MediaBox"),
    "font.not-embedded": Code(ERROR, "check", "a font not embedded"),
    "font.not-subset": Code(WARNING, "check", "a font embedded whole"),
    "colour.transparency": Code(ERROR, "check", "transparency (groups, soft masks, opacity, "
                                                "blend modes) in PDF/X-1a or X-3"),
    "colour.space": Code(ERROR, "check", "RGB (images, inline images, shadings, alternates) "
                                         "or a colour space the standard refuses"),
    "colour.spot": Code(ERROR, "check", "a spot colour where the plant prints four colours"),
    "colour.overprint-mode": Code(WARNING, "check", "overprint without OPM 1: black knocks out "
                                                    "what lies below"),
    "ink.tac": Code(ERROR, "check", "total ink (C+M+Y+K) above the limit"),
    "rules.hairline": Code(WARNING, "check", "a rule thinner than newsprint holds"),
    "text.reversed": Code(WARNING, "check", "small reversed (white) text"),
    "text.multicolour": Code(WARNING, "check", "small text in more than one ink"),
    "text.tint": Code(WARNING, "check", "small tinted text"),
}


@dataclass(frozen=True)
class Finding:
    """A fault or a note about the edition, the page or the PDF.

    Places are optional and independent: `page` (1-based), `story` (the
    article id) or `element` (masthead, folio, index … where the finding is not
    about a story), `x_mm`/`y_mm` from the trim's top-left corner, `source`
    (file:line:column in the spec), `line` (the line's number in its story),
    `object` (a PDF resource name) and `context` (the text around it).
    """

    code: str
    message: str
    hint: str = ""
    page: int | None = None
    story: str | None = None
    element: str | None = None
    x_mm: float | None = None
    y_mm: float | None = None
    source: SourcePlace | None = None
    line: int | None = None
    object: str | None = None
    context: str = ""
    severity: str = field(default="")      # empty: the code's usual severity

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r} (add it to CODES)")
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code].severity)

    def at(self, **where) -> Finding:
        """The same finding with more of its place filled in."""
        return replace(self, **where)

    def where(self) -> str:
        """Its place as the desk reads it: page 2 at 30,41 mm, story a, line 7."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}" + (f" at {self.x_mm:.0f},{self.y_mm:.0f} mm"
                                                if self.x_mm is not None else ""))
        if self.story:
            parts.append(f"story {self.story}")
        elif self.element:
            parts.append(self.element)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.object:
            parts.append(self.object)
        return ", ".join(parts)

    def to_json(self) -> dict:
        """Plain data (for --report, --summary, check --json and the render server)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["source"] = None if self.source is None else str(self.source)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        data = dict(data)
        source = data.pop("source", None)
        return cls(**data, source=None if source is None else _parse_place(source))


def _parse_place(text: str) -> SourcePlace:
    """'spec.yaml:12:5' → SourcePlace (the file name may itself hold colons)."""
    parts = text.rsplit(":", 2)
    numbers = []
    while len(parts) > 1 and parts[-1].isdigit():
        numbers.insert(0, int(parts.pop()))
    return SourcePlace(":".join(parts), *numbers)


def counted(findings) -> list[Finding]:
    """The findings a desk must act on: errors and warnings, not notes."""
    return [f for f in findings if f.severity != INFO]
