"""The layout result of the sample edition, inspected without any PDF."""

from __future__ import annotations

import re

import pytest

from layout.compose import classes as C
from layout.place.result import TextLine


def body_lines(layout, story=None):
    for page in layout.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.role in ("body", "subhead", "byline") \
                    and (story is None or item.story == story):
                yield page, item


def test_sample_has_two_pages_and_every_story_fits(sample_layout):
    assert len(sample_layout.pages) >= 2
    assert [s.id for s in sample_layout.stories if s.overset_lines] == []


def test_body_lines_sit_on_one_grid_of_the_specs_own_numbers(sample_loaded, sample_layout):
    """Measured against the spec, not the grid object that placed them: on every page
    each body line starts a whole number of column steps (13 characters and a
    1-character gutter of 9 pt) from the leftmost one, and sits a whole number of
    13 pt pitches below the topmost one; its column and grid line say which."""
    geometry = sample_loaded.spec.geometry
    assert (geometry.column_chars, geometry.gutter_chars, geometry.body_size_pt,
            geometry.pitch_pt) == (13, 1.0, 9.0, 13.0)      # the numbers this test relies on
    step = (13 + 1.0) * 9.0
    for page in sample_layout.pages:
        items = [item for p, item in body_lines(sample_layout) if p is page]
        left = min(items, key=lambda i: i.x_pt)
        top = min(items, key=lambda i: i.baseline_pt)
        for item in items:
            columns = (item.x_pt - left.x_pt) / step
            lines = (item.baseline_pt - top.baseline_pt) / 13.0
            assert columns == pytest.approx(round(columns), abs=1e-6)
            assert lines == pytest.approx(round(lines), abs=1e-6)
            assert item.column - left.column == round(columns)
            assert item.grid_line - top.grid_line == round(lines)


def test_a_column_holds_a_whole_number_of_characters(sample_layout):
    """Every justified body line is set to a 13-character measure and fills it."""
    full = [item.line for _, item in body_lines(sample_layout)
            if item.role == "body" and not item.line.last]
    assert full and all(line.measure_pt == pytest.approx(13 * 9.0) for line in full)
    assert all(line.width_pt == pytest.approx(line.measure_pt, abs=0.01) for line in full)


def test_character_conservation(sample_loaded, sample_layout):
    """Every story's body characters, in reading order, equal its copy (with its
    cross-references resolved to the pages the articles landed on)."""
    from layout.place.edition import resolve_page_refs
    pages_of = {s.id: s.page for s in sample_layout.stories}
    for page in sample_loaded.spec.pages:
        for article in page.articles:
            copy = resolve_page_refs(sample_loaded.copy[article.id], pages_of, "chinese")
            expected = "".join(
                (line.strip()[3:] if line.strip().startswith("## ")
                 else line.strip()[2:] if line.strip().startswith("> ") else line.strip())
                for line in copy.splitlines())
            expected = (article.dateline or "") + re.sub(r"\s", "", expected)
            got = "".join(item.line.text for _, item in body_lines(sample_layout, article.id)
                          if item.role != "byline")
            assert re.sub(r"\s", "", got) == expected, article.id
            report = sample_layout.story(article.id)
            assert report.chars_set == report.chars


def test_no_forbidden_line_starts_or_ends(sample_layout):
    not_start, not_end = C.KINSOKU["strict"]
    for _, item in body_lines(sample_layout):
        text = item.line.text
        assert text[-1] not in not_end or item.line.last
        if item.line.start > 0:
            assert text[0] not in not_start, text


def test_justified_lines_fill_the_column(sample_layout):
    lines = [item for _, item in body_lines(sample_layout) if item.role == "body"]
    unjustified = [l for l in lines if not l.line.last and not l.line.justified]
    assert len(unjustified) <= 0.01 * len(lines)


def test_no_one_character_last_lines(sample_layout):
    for _, item in body_lines(sample_layout):
        if item.role == "body" and item.line.last:
            body = [ch for ch in item.line.text if ch not in C.FULLWIDTH_PUNCT]
            assert len(body) >= 2, item.line.text


def test_continued_stories_have_jump_lines_both_ends(sample_layout):
    jumps = {}
    for page in sample_layout.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.role == "jump":
                jumps.setdefault(item.story, []).append((page.number, item.line.text))
    assert jumps["bridge"] == [(1, "（下转第二版）"), (2, "（上接第一版）"),
                               (2, "（下转第三版）"), (3, "（上接第二版）")]
    assert jumps["library"] == [(1, "（下转第二版）"), (2, "（上接第一版）")]


def test_index_points_where_articles_land(sample_layout, sample_loaded):
    refs = {item.ref: item for page in sample_loaded.spec.pages if page.index
            for item in page.index.items}
    for page in sample_layout.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.role == "index":
                match = re.search(r"■(\d+)版", item.line.text)
                if match:
                    assert int(match.group(1)) == sample_layout.story(item.story).page
                    refs.pop(item.story, None)
    assert refs == {}


def test_no_lone_last_line_at_a_column_top(sample_layout):
    assert [f for f in sample_layout.findings if f.code == "layout.orphan"] == []


def test_cross_references_follow_the_layout(sample_layout):
    text = "".join(item.line.text for _, item in body_lines(sample_layout, "newtown"))
    assert "相关报道见第二版" in text        # school lands on page 2
