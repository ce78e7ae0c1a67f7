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


def test_body_lines_sit_on_the_grid(sample_layout):
    for page, item in body_lines(sample_layout):
        g = page.grid
        assert item.x_pt == pytest.approx(g.col_x(item.column))
        assert item.baseline_pt == pytest.approx(g.baseline(item.grid_line))


def test_columns_are_whole_characters_and_share_baselines(sample_layout):
    for page in sample_layout.pages:
        g = page.grid
        assert g.col_w_pt / g.body_size_pt == pytest.approx(round(g.col_w_pt / g.body_size_pt))
        baselines = {round(item.baseline_pt, 3) for _, item in body_lines(sample_layout)
                     if _ is page}
        grid = {round(g.baseline(k), 3) for k in range(1, g.lines + 1)}
        assert baselines <= grid


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
