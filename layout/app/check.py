"""`check`: preflight of any PDF, or of a spec rendered first, with its typography.

For a spec, the findings are the PDF's preflight, the layout's own findings
(overset, 孤行, fallback and missing characters, photo resolution, grid) and
the typographic proofing of its lines; for any PDF, the preflight and what
can be read from its text.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ..conditions import ink_limit
from ..errors import BroadsheetError
from ..findings import counted
from ..prepress.check import UNSAFE_TO_RENDER, Limits, Preflight, preflight
from ..prepress.proof import proof_layout, proof_pdf
from ..spec import load_spec
from .render import typeset


def check_source(source: Path, limits: Limits = Limits(),
                 standard: str | None = None) -> Preflight:
    """Every finding about `source`, a PDF or a spec, with the standard it declares
    and the one it was held to; the place of each finding as far as it is known
    (for a spec: story, element and spec line)."""
    if source.suffix.lower() == ".pdf":
        if not source.is_file():
            raise BroadsheetError(f"PDF not found: {source}")
        result = preflight(source, limits, standard=standard)
        unsafe = {f.page for f in result.findings if f.code == UNSAFE_TO_RENDER}
        return replace(result, findings=result.findings + proof_pdf(source, unsafe))
    loaded = load_spec(source)
    prepress = loaded.spec.prepress
    limits = replace(limits, tac_percent=limits.tac_percent
                     or ink_limit(prepress.output_condition, prepress.tac_percent),
                     spot_inks=frozenset(prepress.spot_colors))
    layout, pdf = typeset(loaded)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{source.stem}.pdf"
        path.write_bytes(pdf)
        result = preflight(path, limits, standard=standard)
    # The layout knows each photo's story and its original pixels, and each ad's
    # and story's place in the spec: its own findings of these stand for the PDF's.
    own = [f for f in result.findings
           if f.code not in ("image.resolution", "ad.missing", "layout.overset")]
    return replace(result, findings=own + counted(layout.findings)
                   + proof_layout(loaded, layout))
