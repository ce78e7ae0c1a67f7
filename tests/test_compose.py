"""The composer's rules, on a test font with known metrics (every ideograph and
full-width mark 1 em; Latin letters and digits ½ em; a space ⅓ em)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from layout.compose import classes as C
from layout.compose.paragraph import compose_paragraph
from layout.compose.text import ComposeSettings, Run

EM = 10.0
MEASURE = 13 * EM


def advance(font: str, ch: str) -> float:
    if ch == " ":
        return 1 / 3
    if ch.isascii():
        return 0.5
    if ch in C.MIDDLE:
        return 0.3
    return 1.0


def compose(text: str, measure: float = MEASURE, **kw):
    indent = kw.pop("indent_em", 0.0)
    s = ComposeSettings(measure_pt=measure, em_pt=EM, indent_em=indent, **kw)
    return compose_paragraph([Run(text, "test", EM)], advance, s, first_indent=indent > 0)


def test_line_lengths_for_plain_ideographs():
    lines = compose("国" * 39)
    assert [len(l.text) for l in lines] == [13, 13, 13]
    assert all(l.justified for l in lines[:-1])
    assert lines[0].width_pt == pytest.approx(MEASURE)


def test_first_line_indent_two_em():
    lines = compose("国" * 30, indent_em=2.0)
    assert len(lines[0].text) == 11
    assert lines[0].glyphs[0].x_pt == pytest.approx(2 * EM)


PUSH_IN = "国，" + "国" * 11 + "，" + "国" * 10


def test_comma_is_pushed_in_not_left_at_line_start():
    # The second comma would start line 2; the first comma's trailing half-em
    # blank is compressed so it fits at the end of line 1 (half width there).
    lines = compose(PUSH_IN)
    assert lines[0].text == "国，" + "国" * 11 + "，"
    assert lines[0].width_pt == pytest.approx(MEASURE)
    g = lines[0].glyphs
    assert g[2].x_pt - g[1].x_pt == pytest.approx(0.5 * EM)
    assert not lines[1].text.startswith("，")


def test_push_out_when_push_in_cannot_fit():
    # With nothing compressible, the comma cannot be pushed in: the last
    # ideograph goes down with it and the line is stretched to the measure.
    lines = compose("国" * 13 + "，" + "国" * 10)
    assert lines[0].text == "国" * 12
    assert lines[0].justified
    assert lines[0].width_pt == pytest.approx(MEASURE)
    assert lines[1].text.startswith("国，")


def test_full_width_style_compresses_nothing():
    lines = compose(PUSH_IN, punctuation="全角式")
    assert lines[0].text == "国，" + "国" * 10
    assert lines[0].justified


def test_opening_bracket_never_ends_a_line():
    lines = compose("国" * 12 + "（注释）" + "国" * 10)
    for line in lines[:-1]:
        assert line.text[-1] not in C.OPEN
    assert all(not l.text[0] in C.NOT_AT_START_STRICT for l in lines)


def test_line_end_mark_is_set_half_width():
    lines = compose("国" * 12 + "。" + "国" * 10, punctuation="全角式")
    # 12 ideographs + a stop: natural 12.5 em: stretched to 13 em over 12 gaps.
    assert lines[0].text == "国" * 12 + "。"
    assert lines[0].justified


def test_adjacent_marks_take_one_and_a_half_em():
    lines = compose("国。”国", measure=100 * EM)
    g = lines[0].glyphs
    assert g[2].x_pt - g[1].x_pt == pytest.approx(0.5 * EM)   # 。 lost its trailing half
    assert g[3].x_pt - g[2].x_pt == pytest.approx(1.0 * EM)


def test_quarter_em_between_han_and_latin():
    lines = compose("国A国", measure=100 * EM)
    g = lines[0].glyphs
    assert g[1].x_pt - g[0].x_pt == pytest.approx(1.25 * EM)
    assert g[2].x_pt - g[1].x_pt == pytest.approx(0.75 * EM)


def test_latin_words_and_numbers_are_not_split():
    text = "国" * 11 + "Shanghai" + "国" * 6 + "3.1415%" + "国" * 8
    lines = compose(text)
    joined = [l.text for l in lines]
    assert any("Shanghai" in t for t in joined)
    assert any("3.1415%" in t for t in joined)


def test_no_one_character_last_line():
    lines = compose("国" * 27)
    assert len(lines[-1].text) >= 2
    assert "".join(l.text for l in lines) == "国" * 27


def test_half_width_house_style_sets_commas_half():
    lines = compose("国，国", measure=100 * EM, punctuation="半角式")
    g = lines[0].glyphs
    assert g[2].x_pt - g[1].x_pt == pytest.approx(0.5 * EM)


def test_dash_pair_stays_together():
    lines = compose("国" * 12 + "——" + "国" * 8)
    for line in lines:
        assert not line.text.startswith("—")


PUNCT = "，。、：；！？“”（）《》……——·"
text_strategy = st.text(alphabet=st.sampled_from(list("国家人民江川市报社新闻" + PUNCT + "AB12 ")),
                        min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(text_strategy)
def test_rules_hold_for_any_copy(text):
    lines = compose(text)
    # Character conservation: every character is on exactly one line, in order.
    assert "".join(l.text for l in lines) == text
    not_start, not_end = C.KINSOKU["strict"]
    for k, line in enumerate(lines):
        if line.forced:
            continue
        if k > 0:
            assert line.text[0] not in not_start, (k, line.text)
        if not line.last:
            assert line.text[-1] not in not_end, (k, line.text)
        # Nothing sticks out past the measure.
        assert line.width_pt <= MEASURE + 0.01 + (EM if line.text[-1] in C.PAUSE | C.STOP else 0)


def test_hanging_punctuation_lets_one_mark_pass_the_measure():
    text = "国" * 13 + "。" + "国" * 5
    plain = compose(text)
    hung = compose(text, hanging=True)
    assert plain[0].text == "国" * 12
    assert hung[0].text == "国" * 13 + "。"
    assert hung[0].glyphs[-1].x_pt == pytest.approx(MEASURE)   # the stop hangs outside


def test_basic_kinsoku_allows_what_strict_forbids():
    # A connector may start a line at the basic level, not at the strict one.
    text = "国" * 13 + "～" + "国" * 5
    assert compose(text, kinsoku="basic")[1].text.startswith("～")
    assert not compose(text)[1].text.startswith("～")


# -- faults found by setting real copy and the W3C / Typst line-breaking cases ----------

LEVELS = ("basic", "gb", "strict")


@pytest.mark.parametrize("mark", list("ゝゞヽヾ゠"))
@pytest.mark.parametrize("level", LEVELS)
def test_kana_marks_never_start_a_line_between_ideographs(mark, level):
    lines = compose("国" * 13 + mark + "国" * 5, kinsoku=level)
    assert all(not line.text.startswith(mark) for line in lines), [l.text for l in lines]


@pytest.mark.parametrize("mark", ["\u2E3A", "\u2E3B", "・"])
@pytest.mark.parametrize("level", LEVELS)
def test_long_dashes_and_the_interpunct_never_start_a_line(mark, level):
    lines = compose("国" * 13 + mark + "国" * 5, kinsoku=level)
    assert all(not line.text.startswith(mark) for line in lines), [l.text for l in lines]


def test_each_level_forbids_at_least_what_the_one_before_it_does():
    for looser, stricter in (("basic", "gb"), ("gb", "strict")):
        assert C.KINSOKU[looser][0] <= C.KINSOKU[stricter][0]
        assert C.KINSOKU[looser][1] <= C.KINSOKU[stricter][1]


def test_a_solidus_never_ends_a_line_at_the_default_level():
    # 11 em of ideographs, ¼ em, then "GB/" (1.5 em): "T" no longer fits after "/".
    lines = compose("按" + "国" * 10 + "GB/T 15834的规定执行")
    assert all(not line.text.rstrip().endswith("/") for line in lines), [l.text for l in lines]


def _gaps(line, start: int, end: int) -> list[float]:
    """Blank between consecutive glyphs start..end of a line (x minus the advance)."""
    g = line.glyphs
    return [g[k + 1].x_pt - g[k].x_pt - advance("t", g[k].ch) * EM for k in range(start, end - 1)]


@pytest.mark.parametrize("unit", ["13.5%", "a@b.cn", "10:30", "www.x.cn"])
def test_justification_puts_no_space_inside_a_number_or_address(unit):
    # A line that must stretch by em: a run of dashes cannot start on it.
    text = "增长" + unit + "，国国国" + "—" * 8
    line = compose(text, measure=MEASURE)[0]
    assert line.justified and line.text.endswith("国") and line.stretch_em > 0.25
    start = line.text.index(unit[0])
    assert max(abs(gap) for gap in _gaps(line, start, start + len(unit))) < 1e-6


def test_a_line_that_would_gape_divides_the_long_word_with_a_hyphen():
    lines = compose("这个词" + "Supercalifragilisticexpialidocious" + "国" * 10)
    first = lines[0]
    assert first.text.endswith("-") and first.forced
    assert first.width_pt <= MEASURE + 1e-6
    assert first.stretch_em <= 0.25
    assert "".join(l.text.rstrip("-") for l in lines) == \
        "这个词Supercalifragilisticexpialidocious" + "国" * 10


def test_a_loose_line_records_its_stretch():
    # Nothing to divide: "国国" before an unbreakable run of dashes must stretch.
    lines = compose("国国" + "—" * 24, measure=5 * EM)
    loose = [l for l in lines if not l.last and l.stretch_em > 0.25]
    assert loose and all(l.width_pt <= 5 * EM + 1e-6 for l in lines)
    assert not any(l.stretch_em for l in compose("国" * 39))


def test_the_first_line_indent_never_takes_the_whole_column():
    lines = compose("国" * 5, measure=EM, indent_em=2.0)
    assert all(g.x_pt + EM <= EM + 1e-6 for line in lines for g in line.glyphs)
    assert "".join(l.text for l in lines) == "国" * 5


@pytest.mark.parametrize("pair", ["——", "……"])
def test_forced_breaks_keep_dash_and_ellipsis_pairs_whole(pair):
    lines = compose("国" + pair * 4, measure=3 * EM)
    ch = pair[0]
    for line in lines:
        assert line.text.count(ch) % 2 == 0, [l.text for l in lines]


def test_a_word_broken_by_force_carries_a_hyphen():
    lines = compose("Supercalifragilisticexpialidocious", measure=5 * EM)
    assert len(lines) > 2
    for line in lines[:-1]:
        assert line.forced and line.text.endswith("-") and line.width_pt <= 5 * EM + 1e-6
    assert "".join(l.text.rstrip("-") for l in lines) == "Supercalifragilisticexpialidocious"


def test_question_and_exclamation_together_take_one_em():
    line = compose("国？！国")[0]
    g = {k: glyph.x_pt for k, glyph in enumerate(line.glyphs)}
    assert g[3] - g[1] == pytest.approx(EM)


def test_an_emoji_sequence_is_one_box():
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"
    line = compose("国" + family + "国")[0]
    first, last = line.glyphs[0], line.glyphs[-1]
    assert last.x_pt - first.x_pt == pytest.approx(2 * EM)


@pytest.mark.parametrize("close", [")", "）", "]"])
def test_a_closing_mark_of_any_width_is_not_a_character_for_the_lone_last_line(close):
    lines = compose("国" * 26 + "版" + close)
    body = [ch for ch in lines[-1].text if ch not in C.FULLWIDTH_PUNCT and ch not in ")]"]
    assert len(body) >= 2, [l.text for l in lines]


def test_a_number_keeps_its_unit():
    # 12 ideographs + "8" fit 12.5 em; "8/月" is not a break, "国/8" is.
    lines = compose("国" * 12 + "8月22日" + "国" * 5)
    assert lines[1].text.startswith("8月"), [l.text for l in lines]
