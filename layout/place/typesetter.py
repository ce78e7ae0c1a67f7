"""The composer bound to the edition's fonts and house style."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..compose.paragraph import compose_paragraph
from ..compose.text import ComposeSettings, Line, Run
from ..fonts import FontBook
from ..spec.model import Style


@dataclass
class Typesetter:
    fonts: FontBook
    style: Style
    body_size_pt: float

    def settings(self, measure_pt: float, em_pt: float | None = None, **kw) -> ComposeSettings:
        base = ComposeSettings(measure_pt=measure_pt, em_pt=em_pt or self.body_size_pt,
                               punctuation=self.style.punctuation,
                               kinsoku=self.style.kinsoku, hanging=self.style.hanging)
        return replace(base, **kw)

    def paragraph(self, runs: list[Run], measure_pt: float, **kw) -> tuple[Line, ...]:
        size = runs[0].size_pt if runs else self.body_size_pt
        return compose_paragraph(runs, self.fonts.advance,
                                 self.settings(measure_pt, size, **kw),
                                 first_indent=kw.get("indent_em", 2.0) > 0)

    def block(self, text: str, font: str, size_pt: float, measure_pt: float,
              align: str = "center") -> tuple[Line, ...]:
        """A display block (head, caption …): explicit line breaks kept, no indent."""
        lines: list[Line] = []
        for part in text.split("\n"):
            part = part.strip()
            if not part:
                continue
            lines.extend(compose_paragraph(
                [Run(part, font, size_pt)], self.fonts.advance,
                self.settings(measure_pt, size_pt, indent_em=0.0, align=align,
                              widow_fix=align == "justify"),
                first_indent=False))
        return tuple(lines)

    def natural_width(self, text: str, font: str, size_pt: float) -> float:
        """Width of `text` set solid on one line (for fitting a head to a width)."""
        lines = compose_paragraph([Run(text, font, size_pt)], self.fonts.advance,
                                  self.settings(1e9, size_pt, indent_em=0.0, align="left",
                                                widow_fix=False), first_indent=False)
        return lines[0].width_pt if lines else 0.0


def lines_for(height_pt: float, pitch_pt: float) -> int:
    """Whole body lines needed to hold `height_pt`."""
    return max(1, math.ceil(height_pt / pitch_pt - 1e-6))
