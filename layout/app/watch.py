"""`broadsheet watch`: a long-lived process that re-renders when inputs change.

Fonts, metrics and the line-breaking tables stay loaded between renders, so a
re-render after one edit costs only layout and painting.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import BroadsheetError
from ..files import write_atomic
from ..place.result import ImageItem
from ..spec import load_spec
from .preview import render_pngs
from .render import Warm, typeset


def _stamps(paths) -> dict[Path, float]:
    out = {}
    for path in paths:
        try:
            out[path] = path.stat().st_mtime_ns
        except OSError:
            out[path] = -1
    return out


def _refresh_previews(pdf: bytes, layout, folder: Path, stem: str, fonts: str,
                      previewed: dict[int, object]) -> list[int]:
    """Redraw the PNGs of the pages that changed; remove those of pages gone.

    A page looks the same when its layout items, the files of its photos and
    the fonts are the same.  A story edit touches a page or two, and drawing a
    broadsheet page costs about 0.15 s.
    """
    def signature(page):
        photos = _stamps(Path(item.file) for item in page.items if isinstance(item, ImageItem))
        return page, tuple(sorted(photos.items())), fonts

    now = {page.number: signature(page) for page in layout.pages}
    changed = [number for number, sign in now.items()
               if previewed.get(number) != sign
               or not (folder / f"{stem}-p{number}.png").exists()]
    if changed:
        render_pngs(pdf, folder, stem, 50, pages=changed, layout=layout)
    for number in [n for n in previewed if n not in now]:
        (folder / f"{stem}-p{number}.png").unlink(missing_ok=True)
    previewed.clear()
    previewed.update(now)
    return changed


def watch_spec(spec: Path, output: Path, with_preview: bool, interval: float,
               max_renders: int, say) -> None:
    kept: tuple | None = None            # (the spec's own fonts, the Warm made for them)
    previewed: dict[int, object] = {}    # page number → the page as last previewed
    target = output / f"{spec.stem}.pdf"
    watched: dict[Path, float] = {spec.resolve(): -2}
    renders = 0
    while True:
        current = _stamps(watched)
        if current != watched:
            start = time.perf_counter()
            try:
                loaded = load_spec(spec)
                # The inputs as they were before they were read: a save while this
                # render runs (or while its line is printed) is seen at the next poll.
                seen = _stamps(p for p in loaded.inputs if p not in current)
                after = {p: current.get(p, seen.get(p)) for p in loaded.inputs}
                fonts = tuple(sorted(loaded.spec.fonts.items()))
                if kept is None or kept[0] != fonts:    # new fonts: the old ones go
                    kept = (fonts, Warm.for_spec(loaded))
                warm = kept[1]
                layout, pdf = typeset(loaded, warm)
                write_atomic(target, pdf)
                if with_preview:
                    _refresh_previews(pdf, layout, output / "preview", spec.stem,
                                      warm.fonts.fingerprint(), previewed)
                overset = [s.id for s in layout.stories if s.overset_lines]
                say(f"{time.strftime('%H:%M:%S')} {spec} → {target} "
                    f"({len(layout.pages)} pages, {time.perf_counter() - start:.2f} s)"
                    + (f"; overset: {', '.join(overset)}" if overset else ""))
                watched = after
            except BroadsheetError as exc:
                say(f"{time.strftime('%H:%M:%S')} error: {exc}")
                watched = current   # wait for the next change
            renders += 1
            if max_renders and renders >= max_renders:
                return
        time.sleep(interval)
