"""Page previews (PNG) through PDFium, with the desk's overlays: column grid,
baselines and frame outlines."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from ..errors import BroadsheetError, file_place
from ..files import write_atomic
from ..place.result import Layout, RectItem
from ..spec import load_spec
from .render import typeset

OVERLAYS = ("grid", "baselines", "frames")


def preview_source(source: Path, out_dir: Path, dpi: float = 50,
                   pages: list[int] | None = None, overlays: tuple[str, ...] = ()) -> list[Path]:
    """PNGs of a PDF's pages, or of a spec's (rendered first, with `overlays` drawn
    from its layout)."""
    if source.suffix.lower() == ".pdf":
        if not source.is_file():
            raise BroadsheetError(f"PDF not found: {source}")
        refuse_unsafe(source)
        return render_pngs(source, out_dir, source.stem, dpi, pages)
    layout, pdf = typeset(load_spec(source))
    return render_pngs(pdf, out_dir, source.stem, dpi, pages, layout, overlays)


def refuse_unsafe(pdf: Path) -> None:
    """A PDF whose pages the preflight finds too complex (a form drawing itself, a
    stream inflating without end) is not given to PDFium, which would exhaust
    memory on it."""
    # pikepdf comes with the preflight: 80 ms to import, only for a PDF's preview.
    from ..prepress.check import UNSAFE_TO_RENDER, preflight

    for found in preflight(pdf).findings:
        if found.code == UNSAFE_TO_RENDER:
            raise BroadsheetError(f"{found.message} (page {found.page}): not drawn",
                                  file_place(pdf))


def render_pngs(pdf: bytes | Path, out_dir: Path, stem: str, dpi: float = 50,
                pages: list[int] | None = None, layout: Layout | None = None,
                overlays: tuple[str, ...] = ()) -> list[Path]:
    """Write <stem>-p<N>.png for each page (or the chosen ones); returns the paths."""
    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        count = len(document)
        chosen = pages or list(range(1, count + 1))
        written = []
        for number in chosen:
            if not 1 <= number <= count:
                raise BroadsheetError(f"page {number} is not in the document (1–{count})")
            page = document[number - 1]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            if layout is not None:         # a proof: overset marks always, overlays asked
                image = _overlay(image, layout, number, dpi / 72, ("overset", *overlays))
            target = out_dir / f"{stem}-p{number}.png"
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=False)
            write_atomic(target, buffer.getvalue())
            written.append(target)
        return written
    finally:
        document.close()


def _overlay(image, layout: Layout, number: int, scale: float, overlays):
    page = layout.pages[number - 1]
    g = page.grid
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)

    def px(x: float, y: float) -> tuple[float, float]:
        return ((g.slug_pt + x) * scale, (g.slug_pt + y) * scale)

    top, bottom = g.top_pt, g.top_pt + g.type_h_pt
    if "grid" in overlays:
        for col in range(1, g.columns + 1):
            x0, x1 = g.col_x(col), g.col_x(col) + g.col_w_pt
            draw.rectangle([px(x0, top), px(x1, bottom)], fill=(0, 160, 255, 28),
                           outline=(0, 120, 220, 140))
    if "baselines" in overlays:
        for line in range(1, g.lines + 1):
            y = g.baseline(line)
            draw.line([px(g.left_pt, y), px(g.left_pt + g.type_w_pt, y)],
                      fill=(255, 0, 160, 70), width=1)
    if "frames" in overlays:
        for story in layout.stories:
            for frame in story.frames:
                if frame.page != number:
                    continue
                cols = frame.cols or g.columns - frame.col + 1
                lines = frame.lines or g.lines - frame.line + 1
                x0 = g.col_x(frame.col)
                draw.rectangle([px(x0, g.line_top(frame.line)),
                                px(x0 + g.span_w(cols), g.line_top(frame.line + lines))],
                               outline=(0, 170, 0, 220), width=2)
    if "overset" in overlays:         # the proof marks the plant file does not carry
        for item in page.items:
            if isinstance(item, RectItem) and item.role == "overset":
                x0, y0 = px(item.x_pt, item.y_pt)
                x1, y1 = px(item.x_pt + item.width_pt, item.y_pt + item.height_pt)
                draw.rectangle([x0, y0, x1, y1], outline=(230, 0, 0, 255), width=2)
                cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.3
                draw.line([cx - r, cy, cx + r, cy], fill=(230, 0, 0, 255), width=2)
                draw.line([cx, cy - r, cx, cy + r], fill=(230, 0, 0, 255), width=2)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
