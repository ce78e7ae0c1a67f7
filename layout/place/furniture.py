"""Page furniture: masthead (报头), folio (眉头) and index box (今日导读)."""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate

from ..findings import Finding
from ..spec.model import Credits, IndexBox, Masthead, Spec
from ..units import PT_PER_MM, chinese_numeral, type_size_pt
from .findings import char_findings
from .result import PageGrid, RectItem, RuleItem, TextLine
from .typesetter import Typeset, Typesetter


class _Set:
    """Typesets an element's text lines and keeps what that found, against the element."""

    def __init__(self, ts: Typesetter, element: str):
        self.ts = ts
        self.element = element
        self.findings: list[Finding] = []

    def block(self, text: str, font: str, size_pt: float, measure_pt: float,
              align: str = "center", story: str | None = None):
        typeset: Typeset = self.ts.block(text, font, size_pt, measure_pt, align)
        self.findings.extend(char_findings(typeset.notes, element=self.element, story=story))
        return typeset.lines

    def one_line(self, text: str, font: str, size_pt: float, measure_pt: float,
                 align: str = "center"):
        """A line that has one line of room: what does not fit is reported, not lost."""
        lines = self.block(text, font, size_pt, measure_pt, align)
        if len(lines) > 1:
            cut = "".join(line.text for line in lines[1:])
            self.findings.append(Finding(
                "layout.cut", f"{self.element}: {text!r} does not fit its line; "
                              f"{cut!r} is not printed", "shorten it, or widen its box",
                element=self.element, context=text))
        return lines[:1]

WEEKDAYS = "一二三四五六日"
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
LUNAR_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]


def date_line(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日　星期{WEEKDAYS[date.weekday()]}"


def lunar_line(date: dt.date) -> str | None:
    """农历丙午年十月初六 (the lunar year is named by its 干支)."""
    try:
        convert = getattr(LunarDate, "from_solar_date", None) or LunarDate.fromSolarDate
        lunar = convert(date.year, date.month, date.day)
    except ValueError:          # outside the years its tables cover
        return None
    cycle = (lunar.year - 4) % 60
    day = lunar.day
    if day <= 10:
        day_name = "初" + chinese_numeral(day) if day < 10 else "初十"
    elif day < 20:
        day_name = "十" + chinese_numeral(day - 10)
    elif day == 20:
        day_name = "二十"
    elif day < 30:
        day_name = "廿" + chinese_numeral(day - 20)
    else:
        day_name = "三十"
    leap = "闰" if getattr(lunar, "is_leap_month", None) or \
        (not hasattr(lunar, "is_leap_month") and lunar.isLeapMonth) else ""
    return f"农历{STEMS[cycle % 10]}{BRANCHES[cycle % 12]}年{leap}{LUNAR_MONTHS[lunar.month - 1]}月{day_name}"


def page_label(n: int, style: str) -> str:
    return chinese_numeral(n) if style == "chinese" else str(n)


def place_masthead(spec: Spec, masthead: Masthead, grid: PageGrid, ts: Typesetter,
                   n_pages: int) -> tuple[list, list[Finding]]:
    """报头: the paper's name and the information panel; items and findings."""
    typeset = _Set(ts, "masthead")
    col, line = masthead.box.col, masthead.box.line
    cols = masthead.box.cols or grid.columns
    lines = masthead.box.lines or 16
    x = grid.col_x(col)
    width = grid.span_w(cols)
    top = grid.line_top(line)
    height = lines * grid.pitch_pt
    items: list = []
    # The paper's name: the largest type on the front page, in the house red.
    name = spec.paper.name
    name_w = width * 0.60
    size = min(name_w / max(1, len(name)) * 0.96, height * 0.62)
    composed = typeset.one_line(name, masthead.name_font, size, name_w, "center")
    if composed:
        baseline = top + height * 0.42 + 0.38 * size
        items.append(TextLine(composed[0], x, baseline, "masthead", color=masthead.name_color))
    sub = spec.paper.publisher
    small = type_size_pt("小五", ts.style.size_table)
    if sub:
        for c in typeset.one_line(sub, "hei", small, name_w, "center"):
            items.append(TextLine(c, x, top + height * 0.42 + 0.38 * size + 0.2 * size + 1.6 * small,
                                  "masthead"))
    # The information panel beside the name.
    date = dt.date.fromisoformat(spec.edition.date)
    info = [date_line(date)]
    if spec.edition.lunar:
        lunar = lunar_line(date)
        if lunar:
            info.append(lunar)
    numbers = []
    if spec.edition.number is not None:
        numbers.append(f"第{spec.edition.number}期")
    if spec.edition.total_number is not None:
        numbers.append(f"总第{spec.edition.total_number}期")
    if numbers:
        info.append("　".join(numbers))
    info.append(f"今日{chinese_numeral(n_pages)}版")
    if spec.paper.cn:
        info.append(f"国内统一连续出版物号　{spec.paper.cn}")
    if spec.paper.post_code:
        info.append(f"邮发代号　{spec.paper.post_code}")
    panel_x = x + name_w + grid.gutter_pt
    panel_w = width - name_w - grid.gutter_pt
    info_size = type_size_pt("小五", ts.style.size_table)
    step = info_size * 1.75
    y0 = top + (height - step * len(info)) / 2
    items.append(RuleItem(panel_x - grid.gutter_pt / 2, top + 0.5 * grid.pitch_pt,
                          panel_x - grid.gutter_pt / 2, top + height - 0.5 * grid.pitch_pt, 0.5))
    for k, text in enumerate(info):
        font = "hei-bold" if k == 0 else "hei"
        for c in typeset.one_line(text, font, info_size, panel_w, "center"):
            items.append(TextLine(c, panel_x, y0 + k * step + 0.88 * info_size + 0.4 * info_size,
                                  "masthead"))
    return items, typeset.findings


def place_folio(spec: Spec, page_no: int, section: str, credits: Credits, grid: PageGrid,
                ts: Typesetter, front: bool = False) -> tuple[list, list[Finding]]:
    """眉头: page number, section and date above the type area, with the credits.

    A front page (one with a masthead) has no 眉头: its masthead carries name, date,
    issue and page count; its credits go in the foot margin, under the type area."""
    typeset = _Set(ts, "folio")
    items: list = []
    if front:
        text = _credits(credits)
        if text:
            size = type_size_pt("小五", ts.style.size_table)
            baseline = grid.top_pt + grid.type_h_pt + 1.5 * PT_PER_MM + 0.88 * size
            for c in typeset.one_line(text, "hei", size, grid.type_w_pt, "right"):
                items.append(TextLine(c, grid.left_pt, baseline, "credits"))
        return items, typeset.findings
    date = dt.date.fromisoformat(spec.edition.date)
    size = type_size_pt("小五", ts.style.size_table)
    big = type_size_pt("小三", ts.style.size_table)
    x, width = grid.left_pt, grid.type_w_pt
    rule_y = grid.top_pt - 2.0 * PT_PER_MM
    baseline = rule_y - 2.2 * PT_PER_MM
    odd = page_no % 2 == 1
    number = f"第{page_no}版"
    num_w = ts.natural_width(number, "hei-bold", big)
    sec_w = ts.natural_width(section, "hei-bold", big)
    box_w = num_w + sec_w + 3 * size
    box_x = x + width - box_w if odd else x
    items.append(RectItem(box_x, baseline - big * 1.05, box_w, big * 1.45, fill="K100",
                          role="folio"))
    for c in typeset.one_line(f"{number}　{section}", "hei-bold", big, box_w, "center"):
        items.append(TextLine(c, box_x, baseline, "folio", color="paper"))
    other = f"{spec.paper.name}　{date_line(date)}"
    for c in typeset.one_line(other, "hei", size, width - box_w - size,
                           "left" if odd else "right"):
        items.append(TextLine(c, x if odd else box_x + box_w + size, baseline, "folio"))
    text = _credits(credits)
    if text:
        mid_w = width - box_w - size
        cx = x if odd else box_x + box_w + size
        for c in typeset.one_line(text, "hei", size, mid_w, "right" if odd else "left"):
            items.append(TextLine(c, cx, baseline, "credits"))
    items.append(RuleItem(x, rule_y, x + width, rule_y, 1.5))
    items.append(RuleItem(x, rule_y + 1.6, x + width, rule_y + 1.6, 0.35))
    return items, typeset.findings


def place_colophon(spec: Spec, grid: PageGrid, ts: Typesetter) -> tuple[list, list[Finding]]:
    """报尾: the paper's address, telephone, printer and price, one line in the foot
    margin of the edition's last page (under any credits there)."""
    paper = spec.paper
    parts = [f"{label}：{value}" for label, value in (
        ("社址", paper.address), ("电话", paper.phone), ("印刷", paper.printer),
        ("定价", paper.price)) if value]
    if not parts:
        return [], []
    typeset = _Set(ts, "colophon")
    size = type_size_pt("小五", ts.style.size_table)
    baseline = grid.top_pt + grid.type_h_pt + 1.5 * PT_PER_MM + 0.88 * size + 1.6 * size
    items = [TextLine(c, grid.left_pt, baseline, "colophon")
             for c in typeset.one_line("　".join(parts), "hei", size, grid.type_w_pt, "left")]
    return items, typeset.findings


def _credits(credits: Credits) -> str:
    parts = []
    if credits.editor:
        parts.append(f"责任编辑：{credits.editor}")
    if credits.designer:
        parts.append(f"美编：{credits.designer}")
    if credits.proofreader:
        parts.append(f"校对：{credits.proofreader}")
    return "　".join(parts)


def place_index(index: IndexBox, pages_of: dict[str, int], grid: PageGrid, ts: Typesetter,
                numerals: str) -> tuple[list, list[Finding]]:
    """今日导读: the index box, each entry with the page its article landed on."""
    typeset = _Set(ts, "index")
    col, line = index.box.col, index.box.line
    cols = index.box.cols or 1
    lines = index.box.lines or grid.lines - line + 1
    x, width = grid.col_x(col), grid.span_w(cols)
    top = grid.line_top(line)
    items: list = [RectItem(x, top, width, lines * grid.pitch_pt, fill=index.tint,
                            role="index")]
    title_size = type_size_pt("三号", ts.style.size_table)
    pad = 0.5 * ts.body_size_pt
    inner = width - 2 * pad
    items.append(RectItem(x, top, width, 3 * grid.pitch_pt, fill="K100", role="index-title"))
    for c in typeset.one_line(index.title, "hei-bold", title_size, width, "center"):
        items.append(TextLine(c, x, top + 1.5 * grid.pitch_pt + 0.36 * title_size, "index-title",
                              color="paper"))
    line_no = line + 4
    last = line + lines - 1
    cut = []
    for item in index.items:
        page = item.page or pages_of.get(item.ref)    # a typed page is shown, and checked
        text = f"{item.text}　■{page}版" if page else item.text
        for c in typeset.block(text, "hei", ts.body_size_pt, inner, "justify"):
            if line_no > last:
                cut.append(c.text)
                continue
            items.append(TextLine(c, x + pad, grid.baseline(line_no), "index", item.ref,
                                  grid_line=line_no))
            line_no += 1
        line_no += 1
    if cut:
        typeset.findings.append(Finding(
            "layout.cut", f"the index box is {len(cut)} lines short: {''.join(cut)!r} is "
                          f"not printed", "give the index box more lines, or shorten entries",
            element="index", context=cut[0]))
    return items, typeset.findings
