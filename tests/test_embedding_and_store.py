"""What makes a render fast must not change what it makes: font subsets, parallel
compression and the compose store are checked against the slow, plain way."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zlib

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from layout.compose.store import ComposeStore
from layout.fonts.registry import bundled_dir
from layout.fonts.sfnt import TrueTypeFile
from layout.fonts.subset import subset_truetype
from layout.paint.deflate import deflate

from .conftest import ROOT


def _outline(font: TTFont, name: str):
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return pen.value


def test_subset_keeps_each_glyph_outline_and_advance():
    path = bundled_dir() / "NotoSerifSC-Regular.ttf"
    source = TTFont(path)
    cmap = source.getBestCmap()
    order = source.getGlyphOrder()
    wanted = [source.getGlyphID(cmap[ord(ch)]) for ch in "报社，。“江”川A1"]
    program, new_order = subset_truetype(TrueTypeFile.from_file(path), wanted)
    subset = TTFont(__import__("io").BytesIO(program), checkChecksums=2)   # raises if wrong
    for tag in subset.keys():
        subset[tag]                                   # every table's checksum is verified
    adjustment = subset["head"].checkSumAdjustment
    whole = program[:]
    zeroed = bytearray(whole)
    head_at = subset.reader.tables["head"].offset
    zeroed[head_at + 8:head_at + 12] = b"\0\0\0\0"
    total = sum(int.from_bytes(zeroed[k:k + 4], "big") for k in range(0, len(zeroed), 4))
    assert adjustment == (0xB1B0AFBA - total) & 0xFFFFFFFF
    assert subset["maxp"].numGlyphs == len(new_order) == len(set(wanted)) + 1
    names = subset.getGlyphOrder()
    for new_id, old_id in enumerate(new_order):
        assert _outline(subset, names[new_id]) == _outline(source, order[old_id])
        assert subset["hmtx"][names[new_id]] == source["hmtx"][order[old_id]]
    assert new_order[0] == 0                      # .notdef first
    assert new_order[1:] == list(dict.fromkeys(wanted))   # then in the order asked


def test_subset_renumbers_composite_components(tmp_path):
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "bar", "dot", "both"])
    fb.setupCharacterMap({0x41: "both"})
    bar, dot = TTGlyphPen(None), TTGlyphPen(None)
    for pen, (x0, y0, x1, y1) in ((bar, (100, 0, 200, 700)), (dot, (100, 800, 200, 900))):
        pen.moveTo((x0, y0)); pen.lineTo((x0, y1)); pen.lineTo((x1, y1)); pen.lineTo((x1, y0))
        pen.closePath()
    glyph_set = {"bar": bar.glyph(), "dot": dot.glyph()}
    both = TTGlyphPen(glyph_set)
    both.addComponent("bar", (1, 0, 0, 1, 0, 0))
    both.addComponent("dot", (1, 0, 0, 1, 300, 0))
    empty = TTGlyphPen(None)
    fb.setupGlyf({".notdef": empty.glyph(), **glyph_set, "both": both.glyph()})
    fb.setupHorizontalMetrics({n: (600, 0) for n in (".notdef", "bar", "dot", "both")})
    fb.setupHorizontalHeader(ascent=900, descent=-100)
    fb.setupOS2()
    fb.setupPost()
    fb.save(tmp_path / "c.ttf")
    source = TTFont(tmp_path / "c.ttf")
    font = TrueTypeFile.from_bytes((tmp_path / "c.ttf").read_bytes())
    program, order = subset_truetype(font, [3])
    subset = TTFont(__import__("io").BytesIO(program))
    assert order == [0, 3, 1, 2]                  # the components follow, renumbered
    names = subset.getGlyphOrder()
    assert _outline(subset, names[1]) != []
    from fontTools.pens.boundsPen import BoundsPen
    a, b = BoundsPen(subset.getGlyphSet()), BoundsPen(source.getGlyphSet())
    subset.getGlyphSet()[names[1]].draw(a)
    source.getGlyphSet()["both"].draw(b)
    assert a.bounds == b.bounds and a.bounds[3] == 900     # both components drawn


def test_deflate_gives_ordinary_zlib_streams():
    rnd = random.Random(7)
    words = ["报社", "江川", "glyf", "\x00\x01\x02", "新闻", "0123456789"]
    data = "".join(rnd.choice(words) + chr(rnd.randrange(32, 127))
                   for _ in range(400_000)).encode("utf-8")
    packed = deflate(data)
    assert zlib.decompress(packed) == data            # what any PDF reader does
    assert len(packed) <= len(zlib.compress(data, 6)) * 1.15
    assert deflate(data) == packed                    # renders stay byte-identical
    assert zlib.decompress(deflate(b"")) == b"" and zlib.decompress(deflate(b"short")) == b"short"


def test_deflate_runs_isal_off_the_calling_thread(monkeypatch):
    """ISA-L leaves AVX state dirty, slowing the SSE float code of its thread:
    it must run on the compressor's thread, never on the painter's."""
    import threading

    from isal import isal_zlib

    from layout.paint import deflate as module
    seen = []
    real = isal_zlib.compress

    def recording(data, level):
        seen.append(threading.current_thread())
        return real(data, level)
    monkeypatch.setattr(isal_zlib, "compress", recording)
    assert zlib.decompress(module.deflate(b"broadsheet" * 100)) == b"broadsheet" * 100
    assert seen and seen[0] is not threading.current_thread()
    with pytest.raises(TypeError):              # errors come back to the caller
        module.deflate(12345)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_deflate_works_in_a_forked_worker():
    """`render --jobs N` forks workers; the compressor thread does not survive a
    fork, so a worker must start its own rather than wait on the parent's."""
    deflate(b"started in the parent")
    pid = os.fork()
    if pid == 0:                                 # the worker
        import signal
        signal.alarm(20)                         # waiting on a dead thread: killed, fails
        ok = zlib.decompress(deflate(b"in the worker" * 50)) == b"in the worker" * 50
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _render(spec, out):
    from layout.app.render import render
    render(spec, out)
    return out.read_bytes()


def test_store_renders_byte_identical_without_composing(spec_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    first = _render(spec_dir / "spec.yaml", tmp_path / "a.pdf")
    import layout.place.typesetter as typesetter

    def must_not_compose(*args, **kwargs):
        raise AssertionError("composed a paragraph the store holds")
    monkeypatch.setattr(typesetter, "compose_paragraph", must_not_compose)
    assert _render(spec_dir / "spec.yaml", tmp_path / "b.pdf") == first


def test_store_recomposes_only_what_changed(spec_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    _render(spec_dir / "spec.yaml", tmp_path / "a.pdf")
    copy = spec_dir / "copy" / "a.txt"
    copy.write_text(copy.read_text(encoding="utf-8").replace("第二段正文", "第二段新的正文"),
                    encoding="utf-8")
    import layout.place.typesetter as typesetter
    composed = []
    real = typesetter.compose_paragraph

    def counting(runs, *args, **kwargs):
        composed.append("".join(r.text for r in runs))
        return real(runs, *args, **kwargs)
    monkeypatch.setattr(typesetter, "compose_paragraph", counting)
    edited = _render(spec_dir / "spec.yaml", tmp_path / "b.pdf")
    assert composed == ["第二段新的正文，内容简短。"]
    monkeypatch.setattr(typesetter, "compose_paragraph", real)
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "fresh-cache"))
    assert _render(spec_dir / "spec.yaml", tmp_path / "c.pdf") == edited


def test_damaged_store_is_ignored(spec_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    first = _render(spec_dir / "spec.yaml", tmp_path / "a.pdf")
    (stored,) = (tmp_path / "cache" / "compose").glob("*.marshal")
    stored.write_bytes(stored.read_bytes()[:100])
    assert _render(spec_dir / "spec.yaml", tmp_path / "b.pdf") == first


@pytest.mark.parametrize("change", ["fonts", "spec"])
def test_store_is_tied_to_fonts_and_spec(tmp_path, monkeypatch, change):
    from layout.compose.text import Glyph, Line
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    store = ComposeStore.for_spec(tmp_path / "a.yaml", "fonts-1")
    key = store.key(("中文", 9.0))
    line = Line((Glyph("中", "song", 9.0, 0.0),), 0, 1, 9.0, 9.0, False, True)
    assert store.get(key) is None
    store.put(key, (line,))
    store.save()
    assert ComposeStore.for_spec(tmp_path / "a.yaml", "fonts-1").get(key) == (line,)
    other = (ComposeStore.for_spec(tmp_path / "a.yaml", "fonts-2") if change == "fonts"
             else ComposeStore.for_spec(tmp_path / "b.yaml", "fonts-1"))
    assert other.get(key) is None


def test_same_spec_same_bytes_whatever_the_cache_folder(sample_spec, tmp_path, monkeypatch):
    """Photos come from the cache folder; their names in the PDF must not."""
    outputs = []
    for folder in ("one", "two/deeper"):
        monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / folder))
        outputs.append(_render(sample_spec, tmp_path / f"{folder.replace('/', '-')}.pdf"))
    assert outputs[0] == outputs[1]


def test_a_long_lived_process_keeps_the_store_whole(spec_dir, tmp_path, monkeypatch):
    """watch re-renders from memory; what it saves must still serve a new process."""
    from layout.app.render import Warm, typeset
    from layout.spec import load_spec
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    loaded = load_spec(spec_dir / "spec.yaml")
    warm = Warm.for_spec(loaded)
    typeset(loaded, warm)
    copy = spec_dir / "copy" / "a.txt"
    copy.write_text(copy.read_text(encoding="utf-8") + "第三段，新加的。\n", encoding="utf-8")
    loaded = load_spec(spec_dir / "spec.yaml")
    _, from_memory = typeset(loaded, warm)        # old paragraphs from memory, one new
    import layout.place.typesetter as typesetter

    def must_not_compose(*args, **kwargs):
        raise AssertionError("the saved store lost a paragraph")
    monkeypatch.setattr(typesetter, "compose_paragraph", must_not_compose)
    assert typeset(loaded, Warm.for_spec(loaded))[1] == from_memory


def _fonttools_map(font: TTFont) -> dict[int, int]:
    ids = font.getReverseGlyphMap()
    return {cp: ids[name] for cp, name in font.getBestCmap().items() if ids[name]}


@pytest.mark.parametrize("name", sorted(__import__("layout.fonts.registry",
                                                   fromlist=["BUNDLED"]).BUNDLED.values()))
def test_character_map_read_raw_agrees_with_fonttools(name):
    path = bundled_dir() / name
    raw = TrueTypeFile.from_file(path)
    font = TTFont(path)
    assert raw.character_map() == _fonttools_map(font)
    widths = raw.advance_widths()
    order = font.getGlyphOrder()
    assert [widths[g] for g in range(0, raw.num_glyphs, 97)] == \
        [font["hmtx"][order[g]][0] for g in range(0, raw.num_glyphs, 97)]


def test_character_map_beyond_the_bmp_comes_from_format_12(tmp_path):
    chars = "中\U0002003E\U00020041A"
    names = [".notdef"] + [f"g{k}" for k in range(len(chars))]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{k}" for k, c in enumerate(chars)})
    empty = TTGlyphPen(None)
    fb.setupGlyf({n: empty.glyph() for n in names})
    fb.setupHorizontalMetrics({n: (1000 - 10 * k, 0) for k, n in enumerate(names)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupOS2()
    fb.setupPost()
    fb.save(tmp_path / "f.ttf")
    raw = TrueTypeFile.from_bytes((tmp_path / "f.ttf").read_bytes())
    assert raw.character_map() == _fonttools_map(TTFont(tmp_path / "f.ttf")) == \
        {ord(c): k + 1 for k, c in enumerate(chars)}
    assert list(raw.advance_widths()) == [1000, 990, 980, 970, 960]


def _flip(path, offset_fraction: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * offset_fraction)] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("cache", ["compose", "metrics", "images"])
def test_a_damaged_cache_entry_is_never_used(spec_dir, tmp_path, monkeypatch, cache):
    """One changed character in the compose store (这 → 那), one flipped bit in the
    font metrics or in a converted photo: the next render is the same PDF as one
    made from empty caches."""
    import shutil
    shutil.copy(ROOT / "samples" / "photos" / "bridge.jpg", spec_dir / "bridge.jpg")
    spec = spec_dir / "spec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + """\
        photos:
          - {file: bridge.jpg, box: {col: 1, cols: 2, line: 1, lines: 12}}
""", encoding="utf-8")
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    clean = _render(spec, tmp_path / "a.pdf")
    if cache == "compose":
        (stored,) = (tmp_path / "cache" / "compose").glob("*.marshal")
        data = stored.read_bytes()
        assert "这".encode() in data
        stored.write_bytes(data.replace("这".encode(), "那".encode(), 1))
    elif cache == "metrics":
        for entry in (tmp_path / "cache" / "metrics").glob("*.marshal"):
            _flip(entry, 0.6)
    else:
        for entry in (tmp_path / "cache" / "images").glob("*.jpg"):
            _flip(entry, 0.7)
    assert _render(spec, tmp_path / "b.pdf") == clean


def test_an_intact_metrics_cache_is_used_without_reading_the_fonts(tmp_path):
    """Once the fonts' metrics are cached, a render runs with fontTools unavailable:
    the cache is read and trusted (a checksum that never matched would rebuild it
    every time, silently slow)."""
    env = {**os.environ, "BROADSHEET_CACHE": str(tmp_path / "cache")}
    first = "from layout.app.render import render; render('specs/sample.yaml', {out!r})"
    without = "import sys; sys.modules['fontTools'] = None; " + first
    for code, out in ((first, tmp_path / "a.pdf"), (without, tmp_path / "b.pdf")):
        result = subprocess.run([sys.executable, "-c", code.format(out=str(out))], env=env,
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-600:]
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
