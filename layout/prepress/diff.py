"""Layout diffs between two proofs: which stories reflowed, which lines moved,
which pages changed, and pictures of each changed page with the changes boxed."""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..files import write_atomic

_ROW = re.compile(r"^p(\d+) (\S+)(?: (.*?))? y([\d.]+) \| (.*)$")


@dataclass(frozen=True)
class Row:
    page: int
    role: str
    story: str | None
    frame: int | None
    column: int | None
    line: int | None
    text: str

    @property
    def place(self) -> str:
        return f"p{self.page}" + (f" c{self.column}" if self.column else "") + \
            (f" l{self.line}" if self.line else "")


def parse_dump(text: str) -> list[Row]:
    rows = []
    for raw in text.splitlines():
        match = _ROW.match(raw)
        if not match:
            continue
        page, role, where, _, body = match.groups()
        story = frame = column = line = None
        for part in (where or "").split():
            if re.fullmatch(r"f\d+", part):
                frame = int(part[1:])
            elif re.fullmatch(r"c\d+", part):
                column = int(part[1:])
            elif re.fullmatch(r"l\d+", part):
                line = int(part[1:])
            else:
                story = part
        rows.append(Row(int(page), role, story, frame, column, line, body))
    return rows


@dataclass
class LayoutDiff:
    reflowed: list[str] = field(default_factory=list)          # stories whose lines changed
    moved: list[tuple[str, str, str, str]] = field(default_factory=list)  # story, text, from, to
    changed_text: dict[str, int] = field(default_factory=dict)  # story → lines added/removed
    pages: list[int] = field(default_factory=list)              # pages that differ
    pictures: list[Path] = field(default_factory=list)
    edits: dict[str, list[str]] = field(default_factory=dict)  # story → what the desk changed

    def report(self, lines_moved: bool = False) -> str:
        """As the desk says it: per story, the head changed, the characters cut or
        added, how many lines moved and on which pages; each moved line only with
        `lines_moved`."""
        lines = []
        if not (self.reflowed or self.pages):
            return "no changes"
        for story in self.reflowed:
            lines.append(f"story {story}:")
            lines.extend(f"  {edit}" for edit in self.edits.get(story, []))
            moved = [m for m in self.moved if m[0] == story]
            if moved:
                pages = sorted({int(place.split()[0][1:]) for m in moved for place in m[2:]})
                lines.append(f"  {len(moved)} lines moved (pages "
                             f"{', '.join(map(str, pages))})")
            if lines_moved:
                for _, text, before, after in moved:
                    lines.append(f"    “{text}” {before} → {after}")
        lines.append("pages changed: " + (", ".join(map(str, self.pages)) or "none"))
        for path in self.pictures:
            lines.append(f"picture: {path}")
        return "\n".join(lines)


_DECK = ("kicker", "headline", "subtitle")
_TEXT = ("body", "subhead", "byline")
SNIPPET = 16          # characters of cut or added text quoted


def _desk_edits(before: list[Row], after: list[Row]) -> list[str]:
    """A story's changes as the desk names them: its head changed from … to …; so
    many characters cut, added or rewritten, quoted."""
    out = []
    for role in _DECK:
        a = "".join(r.text for r in before if r.role == role)
        b = "".join(r.text for r in after if r.role == role)
        if a != b:
            out.append(f"{role} changed from “{a}” to “{b}”" if a and b else
                       f"{role} added: “{b}”" if b else f"{role} removed: “{a}”")
    a = "".join(r.text for r in before if r.role in _TEXT)
    b = "".join(r.text for r in after if r.role in _TEXT)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete":
            out.append(f"cut {i2 - i1} characters: “{_quote(a[i1:i2])}”")
        elif op == "insert":
            out.append(f"added {j2 - j1} characters: “{_quote(b[j1:j2])}”")
        elif op == "replace":
            out.append(f"rewrote {i2 - i1} characters as {j2 - j1}: “{_quote(a[i1:i2])}” → "
                       f"“{_quote(b[j1:j2])}”")
    return out


def _quote(text: str) -> str:
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def diff_rows(a: list[Row], b: list[Row]) -> LayoutDiff:
    result = LayoutDiff()
    stories = sorted({r.story for r in a + b if r.story})
    for story in stories:
        ra = [r for r in a if r.story == story]
        rb = [r for r in b if r.story == story]
        if [(r.text, r.place) for r in ra] == [(r.text, r.place) for r in rb]:
            continue
        result.reflowed.append(story)
        matcher = difflib.SequenceMatcher(a=[r.text for r in ra], b=[r.text for r in rb],
                                          autojunk=False)
        rewritten = 0
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for x, y in zip(ra[i1:i2], rb[j1:j2]):
                    if x.place != y.place:
                        result.moved.append((story, x.text, x.place, y.place))
            else:
                rewritten += max(i2 - i1, j2 - j1)
        result.changed_text[story] = rewritten
        result.edits[story] = _desk_edits(ra, rb)
    pages_a: dict[int, list] = {}
    pages_b: dict[int, list] = {}
    for r in a:
        pages_a.setdefault(r.page, []).append((r.role, r.story, r.column, r.line, r.text))
    for r in b:
        pages_b.setdefault(r.page, []).append((r.role, r.story, r.column, r.line, r.text))
    result.pages = sorted(p for p in set(pages_a) | set(pages_b)
                          if pages_a.get(p) != pages_b.get(p))
    return result


def picture_diff(pdf_a: bytes | Path, pdf_b: bytes | Path, pages: list[int] | None,
                 out_dir: Path, stem: str, dpi: float = 40) -> tuple[list[int], list[Path]]:
    """Render both PDFs; for each page that differs, B with red boxes around the change."""
    doc_a = pdfium.PdfDocument(pdf_a if isinstance(pdf_a, bytes) else str(pdf_a))
    doc_b = pdfium.PdfDocument(pdf_b if isinstance(pdf_b, bytes) else str(pdf_b))
    changed, written = [], []
    try:
        count = max(len(doc_a), len(doc_b))
        for number in (pages or range(1, count + 1)):
            if number > len(doc_b):
                changed.append(number)
                continue
            image_b = doc_b[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
            if number > len(doc_a):
                image_a = Image.new("RGB", image_b.size, "white")
            else:
                image_a = doc_a[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
                if image_a.size != image_b.size:
                    image_a = image_a.resize(image_b.size)
            # Only the page itself counts: the slug outside the bleed names the file.
            page = doc_b[number - 1]
            left, bottom, right, top = page.get_bleedbox()
            height = page.get_height()
            k = dpi / 72
            area = (int(left * k), int((height - top) * k), int(right * k),
                    int((height - bottom) * k))
            mask = Image.new("L", image_b.size, 0)
            mask.paste(ImageChops.difference(image_a.crop(area), image_b.crop(area))
                       .convert("L").point(lambda v: 255 if v > 24 else 0), area[:2])
            if mask.getbbox() is None:
                continue
            changed.append(number)
            boxes = _regions(mask.filter(ImageFilter.MaxFilter(9)))
            marked = image_b.copy()
            draw = ImageDraw.Draw(marked)
            for box in boxes:
                draw.rectangle(box, outline=(230, 0, 0), width=3)
            buffer = io.BytesIO()
            marked.save(buffer, "PNG")
            target = out_dir / f"{stem}-p{number}.png"
            write_atomic(target, buffer.getvalue())
            written.append(target)
    finally:
        doc_a.close()
        doc_b.close()
    return changed, written


def _regions(mask) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the connected changed areas (on a coarse grid)."""
    cell = 6
    w, h = mask.size
    gw, gh = (w + cell - 1) // cell, (h + cell - 1) // cell
    small = mask.resize((gw, gh))
    pixels = small.load()
    seen = [[False] * gw for _ in range(gh)]
    boxes = []
    for y in range(gh):
        for x in range(gw):
            if seen[y][x] or pixels[x, y] == 0:
                continue
            stack = [(x, y)]
            seen[y][x] = True
            x0 = x1 = x
            y0 = y1 = y
            while stack:
                cx, cy = stack.pop()
                x0, x1, y0, y1 = min(x0, cx), max(x1, cx), min(y0, cy), max(y1, cy)
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if 0 <= nx < gw and 0 <= ny < gh and not seen[ny][nx] and pixels[nx, ny]:
                        seen[ny][nx] = True
                        stack.append((nx, ny))
            boxes.append((x0 * cell, y0 * cell, min(w - 1, (x1 + 1) * cell),
                          min(h - 1, (y1 + 1) * cell)))
    return boxes
