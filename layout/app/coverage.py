"""`fonts`: the available faces, their coverage of GB 2312 and GBK, and which of a
spec's characters each lacks."""

from __future__ import annotations

from pathlib import Path

from ..fonts import FontBook
from ..fonts.coverage import gb2312_hanzi, gbk_hanzi
from ..spec import LoadedSpec, load_spec


def font_coverage(spec: Path | None = None) -> list[dict]:
    """A row per face: alias, file, characters, GB 2312 and GBK hanzi it has; with a
    spec, its own fonts too and the spec's characters each face lacks."""
    book, text = FontBook(), None
    if spec is not None:
        loaded = load_spec(spec)
        book = FontBook.for_spec(loaded)
        text = spec_text(loaded)
    rows = []
    for alias in book.aliases:
        face = book.face(alias)
        covered = {chr(c) for c in face.code_points}
        row = {"alias": alias, "file": str(face.path), "characters": len(covered),
               "gb2312": len(gb2312_hanzi() & covered), "gbk": len(gbk_hanzi() & covered)}
        if text is not None:
            row["missing"] = "".join(sorted({ch for ch in text if ch not in covered
                                             and not ch.isspace()}))
        rows.append(row)
    return rows


def spec_text(loaded: LoadedSpec) -> str:
    """All the text a spec sets: copy, decks, bylines, datelines, captions, index."""
    parts = list(loaded.copy.values())
    for page in loaded.spec.pages:
        for article in page.articles:
            for _, value in article.deck():
                parts.append(value if isinstance(value, str) else (value.text or ""))
            parts.extend(filter(None, (article.byline, article.dateline)))
            parts.extend(p.caption + p.credit for p in article.photos)
        if page.index:
            parts.extend(i.text for i in page.index.items)
    return "".join(parts)
