"""Bad specs: one line naming file:line:column, exit code 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layout.errors import BroadsheetError
from layout.spec import load_spec

from .conftest import MINIMAL_SPEC, ROOT, write


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT)


def error_of(spec_dir: Path, text: str) -> BroadsheetError:
    write(spec_dir / "spec.yaml", text)
    with pytest.raises(BroadsheetError) as info:
        load_spec(spec_dir / "spec.yaml")
    return info.value


def test_minimal_spec_loads(spec_dir):
    loaded = load_spec(spec_dir / "spec.yaml")
    assert loaded.spec.pages[0].articles[0].id == "a"
    assert loaded.copy["a"].startswith("本报讯")


def test_unknown_key_is_placed_at_the_key(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC.replace("        headline: 测试标题",
                                                  "        headline: 测试标题\n        hedline: x"))
    assert "unknown key 'hedline'" in str(err)
    assert (err.place.line, err.place.column) == (10, 9)


def test_wrong_type_names_the_place(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC.replace("cols: 2", "cols: two"))
    assert err.place.line == 11
    assert "cols: expected a whole number, got text 'two'" in str(err)


def test_a_number_written_with_its_words_says_what_to_write(spec_dir):
    """第8123期 for an issue number: the number alone, said in the spec's terms."""
    err = error_of(spec_dir, MINIMAL_SPEC.replace("date: 2026-11-25",
                                                  "date: 2026-11-25\n  number: 第8123期"))
    assert "number: expected a whole number" in str(err) and "write the number alone, 8123" \
        in str(err)


def test_a_key_typo_gets_a_did_you_mean(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC.replace("headline:", "subtitel: 副题\n        headline:"))
    assert "unknown key 'subtitel'; did you mean 'subtitle'?" in str(err)


def test_bad_unit(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC + "geometry:\n  bleed: 3 furlongs\n")
    assert "length" in str(err) and err.place.line == 13


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30"])
def test_an_impossible_date_is_placed_not_a_crash(spec_dir, date):
    """YAML reads 2026-13-45 as a timestamp; building it raised a bare ValueError."""
    err = error_of(spec_dir, MINIMAL_SPEC.replace("date: 2026-11-25", f"date: {date}"))
    assert date in str(err) and (err.place.line, err.place.column) == (4, 9)


def test_missing_copy_file(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC.replace("copy/a.txt", "copy/nope.txt"))
    assert "not found" in str(err) and err.place.line == 10


def test_yaml_syntax_error(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC.replace("headline: 测试标题", "headline: [测试标题"))
    assert "YAML syntax error" in str(err) and err.place.line is not None


def test_not_a_mapping(spec_dir):
    err = error_of(spec_dir, "- just\n- a list\n")
    assert "mapping" in str(err)


def test_empty_file(spec_dir):
    err = error_of(spec_dir, "")
    assert "empty" in str(err)


def test_alias_bomb_is_refused_quickly(spec_dir):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in range(1, 9):
        bomb += f"{'abcdefghij'[k]}: &{'abcdefghij'[k]} [" + ", ".join(
            [f"*{'abcdefghij'[k - 1]}"] * 10) + "]\n"
    err = error_of(spec_dir, bomb)
    assert "alias bomb" in str(err)


def test_cli_error_is_one_line_exit_2_and_keeps_previous_output(spec_dir, tmp_path):
    out = tmp_path / "out" / "edition.pdf"
    good = run_cli("render", spec_dir / "spec.yaml", "-o", out)
    assert good.returncode == 0, good.stderr
    before = out.read_bytes()
    write(spec_dir / "spec.yaml", MINIMAL_SPEC.replace("cols: 2", "cols: [2"))
    bad = run_cli("render", spec_dir / "spec.yaml", "-o", out)
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "spec.yaml:" in lines[0] and "Traceback" not in bad.stderr
    assert out.read_bytes() == before
    assert not [p for p in out.parent.iterdir() if p.name != "edition.pdf"]


def test_cli_broken_spec_writes_no_pdf(tmp_path):
    spec = write(tmp_path / "broken.yaml", "paper: {name: x}\npages: [\n")
    out = tmp_path / "o"
    result = run_cli("render", spec, "-o", out)
    assert result.returncode == 2
    assert "broken.yaml:" in result.stderr
    assert not (out / "broken.pdf").exists()


@pytest.mark.parametrize("deck, key", [
    ("headline: 标题\n        kicker: {text: 引题, vertical: true}", "vertical"),
    ("headline: {text: 标题, vertical: true, fit: true}", "fit"),
])
def test_deck_keys_that_would_have_no_effect_are_refused(spec_dir, deck, key):
    spec = spec_dir / "spec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("headline: 测试标题", deck),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(spec_dir / "out.pdf")], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 2 and not (spec_dir / "out.pdf").exists()
    assert len(result.stderr.strip().splitlines()) == 1 and key in result.stderr
    assert "spec.yaml:" in result.stderr and "no effect" in result.stderr


SLIPS = [   # (the spec's text, the line and column named, what the message says)
    ("paper:\n  name： 江川日报\nedition:\n  date: 2026-11-25\npages: []\n",
     (2, 3), "full-width '：' after 'name'"),
    ("paper:\n  name: 江川日报\nedition：\n  date: 2026-11-25\npages: []\n",
     (3, 8), "full-width '：' after 'edition'"),
    ("paper:\n\tname: 江川日报\nedition:\n  date: 2026-11-25\npages: []\n",
     (2, 1), "a tab in the indentation"),
    ("paper:\n  name: 江川日报\n   publisher: x\nedition:\n  date: 2026-11-25\npages: []\n",
     (3, 4), "indented 3 spaces, the one above 2"),
]


@pytest.mark.parametrize("text,place,says", SLIPS, ids=["colon-value", "colon-key", "tab",
                                                        "indent"])
def test_input_method_slips_are_named_where_they_are(tmp_path, text, place, says):
    spec = tmp_path / "s.yaml"
    spec.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(tmp_path / "s.pdf")], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert f"s.yaml:{place[0]}:{place[1]}:" in result.stderr and says in result.stderr


def test_on_request_an_error_shows_its_line_with_a_caret(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("paper:\n  name: 江川日报\nedition:\n  date: 2026-11-25\n"
                    "  number: 第8123期\npages: []\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "--source", "render", str(spec),
                             "-o", str(tmp_path / "s.pdf")], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False)
    first, source, caret = result.stderr.rstrip("\n").splitlines()
    assert result.returncode == 2 and "s.yaml:5:11:" in first
    assert source == " 5 |   number: 第8123期"
    assert caret.index("^") == source.index("第")          # under the value's first cell


def test_an_unknown_font_alias_is_named_where_it_is_written(spec_dir):
    text = MINIMAL_SPEC.replace("headline: 测试标题", "headline: {text: 测试标题, font: song-blak}")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render",
                             str(write(spec_dir / "spec.yaml", text)), "-o",
                             str(spec_dir / "s.pdf")], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, check=False)
    assert result.returncode == 2 and "spec.yaml:9:" in result.stderr
    assert "unknown font 'song-blak'; did you mean 'song-black'?" in result.stderr


def test_a_choice_typo_lists_the_choices_and_the_nearest(spec_dir):
    err = error_of(spec_dir, MINIMAL_SPEC + "style: {size_table: offise}\n")
    assert "size_table: 'offise' is not one of typesetting, office; did you mean 'office'?" \
        in str(err) and err.place.line == 12


def test_story_ids_and_presets_get_did_you_mean(spec_dir):
    index = MINIMAL_SPEC.replace("    articles:", "    index:\n      box: {col: 7, cols: 2, "
                                 "line: 1, lines: 10}\n      items: [{text: 导读, ref: b}]\n"
                                 "    articles:").replace("id: a", "id: bridge") \
        .replace("ref: b}", "ref: brige}")
    assert "unknown article 'brige'; did you mean 'bridge'?" in str(error_of(spec_dir, index))
    size = MINIMAL_SPEC + "geometry: {size: tabliod}\n"
    assert "unknown page size 'tabliod'; did you mean 'tabloid'?" in str(error_of(spec_dir, size))
