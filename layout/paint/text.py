"""The debug painter: the layout as stable, diffable text, one line per typeset line.

    p1 body bridge f0 c1 l24 y312.50 | 上午九时许，随着最后一节重约…
"""

from __future__ import annotations

from ..place.result import Layout, TextLine


def dump_layout(layout: Layout) -> str:
    rows = []
    for page in layout.pages:
        for item in page.items:
            if not isinstance(item, TextLine):
                continue
            where = []
            if item.story:
                where.append(item.story)
            if item.frame is not None:
                where.append(f"f{item.frame}")
            if item.column is not None:
                where.append(f"c{item.column}")
            if item.grid_line is not None:
                where.append(f"l{item.grid_line}")
            rows.append(f"p{page.number} {item.role} {' '.join(where)} "
                        f"y{item.baseline_pt:.2f} | {item.line.text}".replace("  ", " "))
    return "\n".join(rows) + "\n"
