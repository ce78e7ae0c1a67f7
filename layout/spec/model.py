"""The edition spec as validated, immutable data.

One definition serves both the loader's validation and the JSON Schema
(`broadsheet schema`).  YAML keys are the desk's words; attributes that hold
lengths end in `_pt` because the loader has already converted them to points.
Grid positions stay in grid units (columns and body lines, 1-based).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta, field

# Grid positions a page can hold: far more than any grid has, and far less than
# would make a layout allocate without end (a line of 10**18 ran out of memory).
GridIndex = Annotated[int, Meta(ge=1, le=1000)]
Count = Annotated[int, Meta(ge=1, le=1000)]
Share = Annotated[float, Meta(ge=0.0, le=1.0)]


class Length(float):
    """A length in points, written in the spec as '12mm', '9pt', '1.5cm' or mm."""


class TypeSize(float):
    """A type size in points, written as a 号 name (小五, 二号) or '9pt'."""


class _Spec(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    pass


class Box(_Spec, kw_only=True):
    """A rectangle on the page grid: columns and body lines, 1-based."""

    col: GridIndex = 1
    line: GridIndex = 1
    cols: Count | None = None    # default: to the last column
    lines: Count | None = None   # default: to the last line
    page: GridIndex | None = None    # only for continuation boxes: the page (1-based)
    direction: Literal["horizontal", "vertical"] | None = None   # a continuation set
                                     # vertically (竖排), the last of its story's


class TextStyle(_Spec, kw_only=True):
    """Font and size of one kind of text (a headline, a caption …)."""

    text: str | None = None
    font: str | None = None
    size_pt: TypeSize | None = field(name="size", default=None)
    align: Literal["center", "left", "right"] | None = None
    color: str | None = None
    vertical: bool = False           # 竖排: a vertical head at the article's right edge
    fit: bool = False                # scale the head to fill its width exactly


class Wrap(_Spec, kw_only=True):
    """图文绕排: the photo stands inside the story's columns at a character position,
    and the lines beside it are shortened to run round it."""

    x: Annotated[float, Meta(ge=0)]              # from the body's left edge, in body characters
    chars: Annotated[float, Meta(gt=0)]          # its width, in body characters
    standoff: Annotated[int, Meta(ge=0, le=4)] = 1          # whole characters kept clear
    standoff_lines: Annotated[int, Meta(ge=0, le=4)] = 1    # and whole lines above and below


class Photo(_Spec, kw_only=True):
    file: str
    box: Box                         # with wrap: only its line and lines count
    wrap: Wrap | None = None
    caption: str = ""
    credit: str = ""
    fit: Literal["fill", "fit"] = "fill"
    focus: tuple[Share, Share] = (0.5, 0.5)


class DropCap(_Spec, kw_only=True):
    """首字下沉: the first character of the first paragraph over `lines` body lines."""

    lines: Annotated[int, Meta(ge=2, le=4)] = 2
    font: str | None = None          # default: the headline's face (song-black)
    color: str | None = None         # default: black


class EditorNote(_Spec, kw_only=True):
    """编者按 / 编后 / 短评: a short text set apart inside the story, in its own face,
    framed or tinted, at the start or the end of the body."""

    text: str
    label: str = "编者按"
    at: Literal["start", "end"] = "start"
    font: str = "kai"
    tint: str | None = "K8"
    frame: bool = True


class Article(_Spec, kw_only=True):
    id: str
    headline: str | TextStyle
    kicker: str | TextStyle | list[str | TextStyle] | None = None   # a list: 肩题 over 引题 …
    subtitle: str | TextStyle | None = None
    byline: str | None = None
    dateline: str | None = None
    copy: str | None = None          # a plain-text file, relative to the spec
    body: str | None = None          # or the copy inline
    box: Box
    direction: Literal["horizontal", "vertical"] = "horizontal"   # vertical: 竖排 body,
                                     # lines top to bottom, right to left, deck at the right
    tiers: Annotated[int, Meta(ge=1, le=8)] = 1   # a vertical body in this many bands (栏)
    shape: list[Box] = []            # more rectangles on this page (刀把型, 倒凸型, L, Z):
                                     # the body runs column by column through them all
    continues: list[Box] = []        # continuation boxes, each with its page
    jump_head: str | None = None     # 转版标题; default: the main head
    head_cols: int | None = None     # the headline deck spans this many columns
    photos: list[Photo] = []
    frame: bool = False
    tint: str | None = None          # a colour for a tint panel behind the article
    drop_cap: DropCap | None = None
    notes: list[EditorNote] = []

    def deck(self) -> list[tuple[tuple, str | TextStyle]]:
        """The deck's elements top down as (path, value): path is ("kicker",),
        ("kicker", 1) for the second of several kicker lines, ("headline",) …"""
        out: list[tuple[tuple, str | TextStyle]] = []
        for kind in ("kicker", "headline", "subtitle"):
            value = getattr(self, kind)
            if isinstance(value, list):
                out.extend(((kind, k), v) for k, v in enumerate(value))
            elif value is not None:
                out.append(((kind,), value))
        return out
    over: bool = False               # meant to sit over what it meets (no overlap finding)


class IndexItem(_Spec, kw_only=True):
    text: str
    ref: str                         # the id of the article it points to
    page: int | None = None          # a page typed by the desk; checked against the layout


class IndexBox(_Spec, kw_only=True):
    box: Box
    title: str = "今日导读"
    items: list[IndexItem] = []
    tint: str | None = "K10"
    over: bool = False               # meant to sit over what it meets (no overlap finding)


class Rule(_Spec, kw_only=True):
    """A rule on the grid: horizontal below `line` or vertical before `col`."""

    direction: Literal["horizontal", "vertical"] = "horizontal"
    col: GridIndex = 1
    line: GridIndex = 1
    cols: Count | None = None
    lines: Count | None = None
    weight_pt: Length = field(name="weight", default=0.5)
    style: Literal["solid", "double", "thick-thin", "dotted", "wavy"] = "solid"
    color: str | None = None         # default: black


class TableColumn(_Spec, kw_only=True):
    """One column of a table: its heading, width and how its cells align."""

    title: str = ""
    chars: Annotated[float, Meta(gt=0, le=200)] | None = None   # width in body characters
    width_pt: Length | None = field(name="width", default=None)  # or a length
    align: Literal["left", "center", "right", "decimal"] = "left"


class Table(_Spec, kw_only=True):
    """A table on the grid (天气预报, 股市行情, 节目表, 积分榜): a heading row, rows from
    the spec or a CSV file, cells set by the composer."""

    id: str
    box: Box
    title: str | None = None
    columns: list[TableColumn]
    rows: list[list[str | int | float]] = []
    csv: str | None = None           # a UTF-8 CSV file, relative to the spec (instead of rows)
    header: bool = True              # the columns' titles as the first row
    rules: Literal["none", "header", "all", "frame"] = "header"
    size_pt: TypeSize | None = field(name="size", default=None)   # default: the body size
    font: str | None = None          # default: the body face
    rule_color: str | None = None    # default: black
    over: bool = False


class Panel(_Spec, kw_only=True):
    box: Box
    tint: str = "K10"
    over: bool = False               # meant to sit under what it meets (no overlap finding)


class AdSize(_Spec, kw_only=True):
    """A standard ad size of the house (通栏, 报眼 …), in grid columns and body lines."""

    cols: Count
    lines: Count


class Ad(_Spec, kw_only=True):
    """An advertisement sold for this page: supplied artwork placed untouched in a
    slot of the grid, or (no file yet) a placeholder for the dummy (版样)."""

    id: str
    box: Box                         # where: col and line; cols and lines, or a size
    size: str | None = None          # a name from ad_sizes (or 整版, 半版, 通栏, 半通栏)
    file: str | None = None          # a PDF, JPEG, PNG or TIFF; none yet: a placeholder
    page: Annotated[int, Meta(ge=1, le=100_000)] = 1   # which page of a PDF
    fit: Literal["exact", "contain", "cover"] = "exact"   # exact: the trim is the slot
    client: str = ""                 # 客户
    order: str = ""                  # the ad department's order number


class Masthead(_Spec, kw_only=True):
    box: Box = Box(col=1, line=1, cols=5, lines=16)
    name_font: str = "song-black"
    name_color: str = "red"
    over: bool = False               # meant to sit over what it meets (no overlap finding)


class Credits(_Spec, kw_only=True):
    editor: str | None = None        # 责任编辑
    designer: str | None = None      # 美编
    proofreader: str | None = None   # 校对


class Page(_Spec, kw_only=True):
    section: str = "要闻"
    credits: Credits = Credits()
    masthead: Masthead | None = None
    articles: list[Article] = []
    index: IndexBox | None = None
    rules: list[Rule] = []
    panels: list[Panel] = []
    tables: list[Table] = []
    ads: list[Ad] = []
    size: str | None = None          # another preset for this page
    plate: str | None = None         # the plate's name (A01 …); default: the page number
    replaces: int | None = None      # in a zoned edition: the base's page this one replaces
    version: int | None = None       # this plate's version; default: counted by render


class Paper(_Spec, kw_only=True):
    name: str
    publisher: str | None = None     # 主办单位
    cn: str | None = None            # 国内统一连续出版物号, e.g. CN 00-0000
    post_code: str | None = None     # 邮发代号
    address: str | None = None
    printer: str | None = None
    price: str | None = None
    phone: str | None = None


class Edition(_Spec, kw_only=True):
    date: str                        # YYYY-MM-DD
    number: int | None = None        # 第N期
    total_number: int | None = None  # 总第N期
    lunar: bool = True
    version: int | None = None       # every plate's version; default: counted by render
    zone: str | None = None          # a zoned edition's name (城区版 …), in the slug


class Marks(_Spec, kw_only=True):
    """Printer's marks outside the trim (and the bleed)."""

    crop: bool = True
    registration: bool = True
    color_bars: bool = True
    slug: bool = True                 # a line naming edition, page and section
    slug_time: bool = False           # add the time of output (the PDF then differs per run)


class Geometry(_Spec, kw_only=True):
    """Page size and grid. Defaults: a Chinese broadsheet (对开)."""

    size: str = "broadsheet"          # preset name, or "390mm x 540mm"
    bleed_pt: Length = field(name="bleed", default=float(3 * 72 / 25.4))
    marks: bool | Marks = True        # printer's marks outside the bleed (true: all of them)
    top_pt: Length = field(name="top", default=float(26 * 72 / 25.4))
    columns: Annotated[int, Meta(ge=1, le=40)] = 8
    column_chars: Annotated[int, Meta(ge=1, le=200)] = 13   # body characters per column
    gutter_chars: Annotated[float, Meta(ge=0.0, le=20.0)] = 1.0   # gutter in body characters
    body_size_pt: TypeSize = field(name="body_size", default=9.0)
    pitch_pt: Length = field(name="pitch", default=13.0)
    lines: Count | None = None        # body lines per column; default: fill the page
    bottom_pt: Length = field(name="bottom", default=float(18 * 72 / 25.4))


class DeckSizes(_Spec, kw_only=True):
    """A headline deck's type sizes for articles this many columns wide (style:
    deck_sizes); an unset size keeps the house default for that width."""

    kicker: TypeSize | None = None
    headline: TypeSize | None = None
    subtitle: TypeSize | None = None


class Style(_Spec, kw_only=True):
    punctuation: Literal["全角式", "开明式", "行末半角式", "半角式"] = "行末半角式"
    kinsoku: Literal["strict", "basic", "gb"] = "strict"
    hanging: bool = False             # hang one pause/stop mark past the measure
    page_numerals: Literal["chinese", "arabic"] = "chinese"
    jump_to: str = "（下转第{page}版）"
    jump_from: str = "（上接第{page}版）"
    size_table: Literal["typesetting", "office"] = "typesetting"
    body_font: str = "song"
    dateline_font: str = "hei"
    byline_font: str = "kai"
    caption_font: str = "kai"
    subhead_font: str = "hei"
    fallback_fonts: list[str] = []    # tried in order for characters a font lacks
    normalize: bool = False           # fix half-width punctuation in Chinese copy (reported)
    balance: bool = True              # a story short of its box ends level across columns
    deck_sizes: dict[str, DeckSizes] = {}   # by the columns a deck spans ("3": from
                                      # three columns up), the house's own sizes
    loose_limit: Annotated[float, Meta(ge=0.0, le=2.0)] = 0.25   # em a justified line may
                                      # add per gap before it is reported as loose
    copy_encoding: Literal["utf-8", "auto"] = "utf-8"   # auto: also GB18030/GBK, with a warning
    upright_digits: Annotated[int, Meta(ge=0, le=3)] = 2   # 纵中横: numbers of up to this many
                                      # digits stand upright in vertical text (0: all turned)


class Prepress(_Spec, kw_only=True):
    """What the printing plant asked for."""

    pdfx: Literal["X-1a", "X-4"] = "X-1a"
    profile: str | None = None        # the plant's CMYK profile (ICC); default: bundled newsprint
    output_condition: str = "IFRA26"  # a registered condition, or the plant's own (with profile)
    tac_percent: float | None = field(name="tac", default=None)   # ink limit; default: the
                                                                   # condition's (220% newsprint)
    over_limit_colors: list[str] = []     # named colours allowed past the ink limit
    over_limit_photos: Literal["reseparate", "report"] = "reseparate"   # CMYK photos over it
    spot_colors: list[str] = []       # named colours the plant prints as a spot ink of
                                      # their own (Separation, their CMYK the alternate)
    ad_tolerance_pt: Length = field(name="ad_tolerance", default=float(0.5 * 72 / 25.4))
    overset: Literal["unmarked", "refuse"] = "unmarked"   # the plant file of an overset
                                      # edition: without the proof's marks, or not written
    per_page: bool = False            # one PDF per plate, as `render --per-page`
    plate_name: str = "{paper}-{date}-{plate}.pdf"   # its files' names


class FontFile(_Spec, kw_only=True):
    """A font file, and which face of a collection (.ttc/.otc) to use."""

    file: str
    face: Annotated[int, Meta(ge=0, le=255)] = 0     # 0: the first (or only) face


def font_file(value: str | FontFile) -> tuple[str, int]:
    """(file, face) of a `fonts:` entry: a file name, or {file, face}."""
    return (value, 0) if isinstance(value, str) else (value.file, value.face)


class Spec(_Spec, kw_only=True):
    base: str | None = None           # a zoned edition: the spec it builds on (its pages,
                                      # with this one's replacing or adding some)
    paper: Paper
    edition: Edition
    geometry: Geometry = Geometry()
    style: Style = Style()
    fonts: dict[str, str | FontFile] = {}   # extra font aliases → TTF/OTF files, or
                                            # {file, face} for a face of a collection
    colors: dict[str, str] = {}       # named house colours → "C0 M100 Y100 K0"
    prepress: Prepress = Prepress()
    ad_sizes: dict[str, AdSize] = {}  # the house's ad sizes, by name
    pages: list[Page]
