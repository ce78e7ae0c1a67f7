"""The composer bound to the edition's fonts and house style."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from ..compose.linebreak import break_opportunities
from ..compose.paragraph import compose_paragraph, is_cluster_mark
from ..compose.store import ComposeStore
from ..compose.text import ComposeSettings, Line, Run
from ..fonts import FontBook
from ..memo import RecentMemo
from ..spec.model import Style


class CharNote(NamedTuple):
    """A character its run's font lacks: set in `fallback`, or in no font (None)."""

    ch: str
    font: str                 # the run's own font
    fallback: str | None
    context: str              # the text around it


class Typeset(NamedTuple):
    """Composed lines, and the characters that needed another font to set them."""

    lines: tuple[Line, ...]
    notes: tuple[CharNote, ...] = ()


@dataclass(frozen=True)
class Typesetter:
    """Composes text in the edition's fonts and style; keeps nothing of what it set.

    `memo` holds composed paragraphs in memory, by their inputs: a layout
    composes many paragraphs again (page-reference passes, trial flows), and a
    long-lived process passes the same memo, with the same font book, to every
    render.  `store` keeps them on disk between processes.
    """

    fonts: FontBook
    style: Style
    body_size_pt: float
    store: ComposeStore | None = None
    memo: dict | RecentMemo = field(default_factory=dict)

    def cover(self, runs: list[Run]) -> tuple[tuple[Run, ...], tuple[CharNote, ...]]:
        """Split runs so every character is set in a font that has it.

        A character the run's font lacks goes to the first fallback font that
        has it; one no font has is noted (never printed as an empty box) and
        left in the primary font, where the painter draws nothing for it.
        """
        out: list[Run] = []
        notes: list[CharNote] = []
        fallbacks = self.style.fallback_fonts
        for run in runs:
            face = self.fonts.face(run.font)
            chars = set(run.text)
            lookup = face.lookup
            if chars <= face.known_covered or all(lookup(ord(ch)) is not None or ch.isspace()
                                                  for ch in chars):
                out.append(run)         # the usual case: the run's font has it all
                continue
            current, buffer = run.font, []
            for k, ch in enumerate(run.text):
                font = run.font
                if k and is_cluster_mark(ch, run.text[k - 1]):
                    font = current      # an emoji sequence's tail goes with its base,
                                        # and is noted with it (one cluster, one note)
                elif not face.covers(ch) and not ch.isspace():
                    font = next((f for f in fallbacks if self.fonts.face(f).covers(ch)), None)
                    notes.append(CharNote(ch, run.font, font, run.text[max(0, k - 8):k + 9]))
                    if font is None:
                        font = run.font
                if font != current and buffer:
                    out.append(Run("".join(buffer), current, run.size_pt))
                    buffer = []
                current = font
                buffer.append(ch)
            if buffer:
                out.append(Run("".join(buffer), current, run.size_pt))
        return tuple(out), tuple(notes)

    def bold(self, font: str) -> str:
        """The face's bold sibling (hei → hei-bold) where the font book has one."""
        return font + "-bold" if self.fonts.knows(font + "-bold") else font

    def settings(self, measure_pt: float, em_pt: float | None = None, **kw) -> ComposeSettings:
        style = self.style
        return ComposeSettings(**{"measure_pt": measure_pt, "em_pt": em_pt or self.body_size_pt,
                                  "punctuation": style.punctuation, "kinsoku": style.kinsoku,
                                  "hanging": style.hanging, "loose_em": style.loose_limit,
                                  **kw})

    def paragraph(self, runs: list[Run], measure_pt: float, **kw) -> Typeset:
        size = runs[0].size_pt if runs else self.body_size_pt
        settings = self.settings(measure_pt, size, **kw)
        covered, notes = self.cover(runs)
        return Typeset(self._compose(covered, settings, kw.get("indent_em", 2.0) > 0), notes)

    def _compose(self, runs: tuple[Run, ...], settings: ComposeSettings,
                 first_indent: bool) -> tuple[Line, ...]:
        """compose_paragraph, through the caches.

        The memo keeps composed paragraphs for as long as its owner keeps the
        font book they were measured in, so a long-lived process (watch)
        recomposes only the paragraphs that changed; the store does the same
        across processes.
        """
        key = (runs, settings, first_indent)
        cache = self.memo
        store = self.store
        entry = cache.get(key)
        if entry is None:
            digest = store.key(key) if store is not None else None
            lines = store.get(digest) if store is not None else None
            if lines is None:
                lines = compose_paragraph(runs, self.fonts.advance, settings, first_indent)
                if store is not None:
                    store.put(digest, lines)
            if len(cache) > 100_000:
                cache.clear()
            entry = cache[key] = (lines, digest)
        elif store is not None:
            store.keep(entry[1] or store.key(key), entry[0])
        return entry[0]

    def block(self, text: str, font: str, size_pt: float, measure_pt: float,
              align: str = "center") -> Typeset:
        """A display block (head, caption …): explicit line breaks kept, no indent."""
        lines: list[Line] = []
        notes: list[CharNote] = []
        for part in text.split("\n"):
            part = part.strip()
            if not part:
                continue
            covered, found = self.cover([Run(part, font, size_pt)])
            notes.extend(found)
            lines.extend(self._compose(
                covered,
                self.settings(measure_pt, size_pt, indent_em=0.0, align=align,
                              widow_fix=align == "justify"),
                first_indent=False))
        return Typeset(tuple(lines), tuple(notes))

    def head(self, text: str, font: str, size_pt: float, width_pt: float,
             align: str = "center", min_scale: float = 0.85) -> Typeset:
        """A headline: explicit breaks kept; an overlong line is first set a little
        smaller (down to `min_scale`), then broken into balanced lines, at a phrase
        boundary (space, punctuation) where one serves."""
        lines: list[Line] = []
        notes: list[CharNote] = []
        for part in (p.strip() for p in text.split("\n")):
            if not part:
                continue
            natural = self.natural_width(part, font, size_pt)
            size = size_pt
            pieces = [part]
            if natural > width_pt + 0.01:
                if natural * min_scale <= width_pt:
                    size = size_pt * width_pt / natural
                else:
                    pieces = self._balanced(part, font, size_pt, width_pt)
            for piece in pieces:
                covered, found = self.cover([Run(piece, font, size)])
                notes.extend(found)
                lines.extend(self._compose(
                    covered,
                    self.settings(width_pt, size, indent_em=0.0, align=align, widow_fix=False),
                    first_indent=False))
        return Typeset(tuple(lines), tuple(notes))

    def _balanced(self, text: str, font: str, size_pt: float, width_pt: float) -> list[str]:
        natural = self.natural_width(text, font, size_pt)
        n_lines = max(2, math.ceil(natural / width_pt))
        allowed = break_opportunities(text)
        # Never inside quotes or brackets: 《…》 and “…” are one phrase in a head.
        depth, inside = 0, set()
        for i, ch in enumerate(text):
            if ch in "“‘《（「『【〈":
                depth += 1
            elif ch in "”’》）」』】〉":
                depth = max(0, depth - 1)
            if depth > 0:
                inside.add(i + 1)
        legal = [i for i in range(1, len(text)) if allowed[i] and i not in inside]
        phrase = [i for i in legal if text[i - 1] in "　 ，、：；！？"]
        words = [i for i in _phrase_boundaries(text) if i in set(legal)]
        # Prefer phrase boundaries, even at the cost of one more line, to a word split.
        tiers = [(phrase, n_lines), (phrase, n_lines + 1), (words, n_lines),
                 (phrase + words, n_lines + 1), (legal, n_lines)]
        for candidates, n in tiers:
            best = None
            for cut in _cuts(sorted(set(candidates)), n - 1):
                pieces = [text[a:b].strip("　 ") for a, b in zip((0, *cut), (*cut, len(text)))]
                widths = [self.natural_width(p, font, size_pt) for p in pieces]
                if max(widths) > width_pt + 0.01:
                    continue
                score = max(widths) - min(widths)
                if best is None or score < best[0]:
                    best = (score, pieces)
            if best:
                return best[1]
        return [text]

    def natural_width(self, text: str, font: str, size_pt: float) -> float:
        """Width of `text` set solid on one line (for fitting a head to a width)."""
        lines = self._compose((Run(text, font, size_pt),),
                              self.settings(1e9, size_pt, indent_em=0.0, align="left",
                                            widow_fix=False), first_indent=False)
        return lines[0].width_pt if lines else 0.0


def _phrase_boundaries(text: str) -> list[int]:
    """Where Chinese phrases meet, by BudouX's Simplified-Chinese model (no word splits
    like 群/众 in a head).  The model is loaded at the first head that needs it
    (most heads fit their width)."""
    global _BUDOUX
    if _BUDOUX is None:
        import budoux   # 7.6 ms to import (python -X importtime), 5 ms to load the model
        _BUDOUX = budoux.load_default_simplified_chinese_parser()
    out, pos = [], 0
    for chunk in _BUDOUX.parse(text)[:-1]:
        pos += len(chunk)
        out.append(pos)
    return out


_BUDOUX = None


def _cuts(candidates: list[int], k: int):
    """All increasing choices of k break positions (k is 1 or 2 for heads)."""
    if k == 1:
        for c in candidates:
            yield (c,)
    elif k == 2:
        for i, a in enumerate(candidates):
            for b in candidates[i + 1:]:
                yield (a, b)


def lines_for(height_pt: float, pitch_pt: float) -> int:
    """Whole body lines needed to hold `height_pt`."""
    return max(1, math.ceil(height_pt / pitch_pt - 1e-6))
