"""Read YAML into plain Python data, remembering where every value came from.

We compose the YAML node graph with PyYAML's *safe* loader and build the data
ourselves, so that (1) each value's line and column is known for error
messages, and (2) alias expansion is bounded: a "billion laughs" document is
refused instead of exhausting memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from ..errors import BroadsheetError, SourcePlace
from ..limits import MAX_FILE_BYTES

MAX_NODES = 200_000       # values built, aliases counted each time they are used
MAX_DEPTH = 64

PathKey = tuple  # ("pages", 0, "articles", 2, "copy")


class Positions:
    """File, line and column of each value (and of each mapping key) by YAML path.

    A zoned edition's spec is two files merged: each place names its own file."""

    def __init__(self, file: str):
        self.file = file
        self._values: dict[PathKey, tuple[str, int, int]] = {}
        self._keys: dict[PathKey, tuple[str, int, int]] = {}

    def record(self, path: PathKey, node: yaml.Node, key_node: yaml.Node | None = None):
        self._values[path] = (self.file, node.start_mark.line + 1, node.start_mark.column + 1)
        if key_node is not None:
            self._keys[path] = (self.file, key_node.start_mark.line + 1,
                                key_node.start_mark.column + 1)

    def place(self, path: PathKey, key: bool = False) -> SourcePlace:
        """The closest recorded place for `path` (walking up to its parents)."""
        table = self._keys if key else self._values
        probe = tuple(path)
        while probe:
            if probe in table:
                file, line, col = table[probe]
                return SourcePlace(file, line, col, format_path(path))
            if key:               # fall back to the value table for parents
                table = self._values
                key = False
                continue
            probe = probe[:-1]
        file, line, col = self._values.get((), (self.file, 1, 1))
        return SourcePlace(file, line, col, format_path(path))

    def graft(self, other: Positions, source: PathKey, target: PathKey) -> None:
        """Take `other`'s places under `source` as this one's under `target`,
        replacing what this one had there."""
        for table, theirs in ((self._values, other._values), (self._keys, other._keys)):
            for path in [p for p in table if p[:len(target)] == target]:
                del table[path]
            for path, place in theirs.items():
                if path[:len(source)] == source:
                    table[target + path[len(source):]] = place


def format_path(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_regular(path: Path, what: str, where: SourcePlace) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES[what]: a device
    (/dev/zero), a FIFO or a folder is refused before it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise BroadsheetError(f"{what} not found: {path}", where) from None
    except OSError as exc:
        raise BroadsheetError(f"cannot read {what} {path}: {exc.strerror}", where) from None
    return read_opened(fd, path, what, where)


def read_opened(fd: int, path: Path, what: str, where: SourcePlace) -> bytes:
    """The bytes of the file open at `fd` (closed here), if it is a regular file of
    at most MAX_FILE_BYTES[what]; checked on what was opened, before reading."""
    limit = MAX_FILE_BYTES.get(what, MAX_FILE_BYTES["copy file"])
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise BroadsheetError(f"{what} is a folder, not a file: {path}", where)
        if not stat.S_ISREG(info.st_mode):
            raise BroadsheetError(f"{what} is not a regular file: {path}", where)
        if info.st_size > limit:
            raise BroadsheetError(f"{what} is larger than {limit // 2**20} MiB: {path}", where)
        try:
            return handle.read(limit + 1)[:limit]
        except OSError as exc:
            raise BroadsheetError(f"cannot read {what} {path}: {exc.strerror}",
                                  where) from None


def read_text(path: Path, what: str = "file", place: SourcePlace | None = None,
              data: bytes | None = None) -> str:
    """Read a UTF-8 text file (a BOM is allowed) with user-facing errors: a regular
    file within its kind's size limit, checked before anything is read.  `data`:
    the file's bytes, already read (confined, under --root)."""
    where = place or SourcePlace(str(path))
    if data is None:
        data = read_regular(path, what, where)
    if b"\x00" in data[:8192]:
        raise BroadsheetError(f"{what} is binary, not text", SourcePlace(str(path)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotUtf8Error(f"{what} is not UTF-8 (bad byte at offset {exc.start})",
                           SourcePlace(str(path), line)) from None


class NotUtf8Error(BroadsheetError):
    """A text file in another encoding (copy may still be GB18030, when asked for)."""


def read_copy(path: Path, place: SourcePlace, legacy: bool = False) -> tuple[str, str | None]:
    """Copy: UTF-8; with `legacy` (style: copy_encoding: auto) also GB18030/GBK when
    that reading is unambiguous, with a warning."""
    try:
        return read_text(path, "copy file", place), None
    except NotUtf8Error:
        if not legacy:
            raise BroadsheetError(f"copy file is not UTF-8 (GB18030 or GBK?): save it as UTF-8, "
                                  f"or set style: {{copy_encoding: auto}}: {path.name}",
                                  place) from None
    data = path.read_bytes()
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise BroadsheetError(f"copy file is neither UTF-8 nor GB18030: {path}", place) from None
    non_ascii = [ch for ch in text if ord(ch) > 127]
    han = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef")
    if not non_ascii or han / len(non_ascii) < 0.9:
        raise BroadsheetError(f"copy file is not UTF-8 and does not read as Chinese GB18030 "
                              f"either: {path}", place)
    return text, f"copy file {path.name} is GB18030, not UTF-8: read as GB18030"


# libyaml's parser (in PyYAML's wheels) composes the same nodes, with the same
# marks, five times faster than the pure-Python one; the latter is the fallback.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


KEY_SLIP = re.compile(r"^(\s*-?\s*)([A-Za-z_][\w-]*)\s*([：，])")   # "name： …"


def full_width_slip(slip: re.Match) -> str:
    """What to do about a KEY_SLIP match: the half-width mark YAML needs."""
    mark = slip.group(3)
    return (f"a full-width {mark!r} after {slip.group(2)!r}: YAML needs the half-width "
            f"{ {'：': ':', '，': ','}[mark]!r} (switch the input method to English), then a "
            f"space")


def typing_slip(text: str, line: int | None) -> tuple[int, int, str] | None:
    """The slips a Chinese input method makes in YAML's own syntax, near `line`
    (PyYAML notices them a line late): a full-width colon or comma after a key,
    a tab, a key indented off its neighbours.  (line, column, what to do) or None."""
    lines = text.splitlines()
    if not line:
        return None
    for number in range(max(1, line - 2), min(len(lines), line) + 1):
        source = lines[number - 1]
        slip = KEY_SLIP.match(source)
        if slip:
            return number, len(slip.group(1)) + len(slip.group(2)) + 1, full_width_slip(slip)
        if "\t" in source[:len(source) - len(source.lstrip())]:
            return (number, source.index("\t") + 1,
                    "a tab in the indentation: YAML indents with spaces only")
    source = lines[line - 1] if line <= len(lines) else ""
    indent = len(source) - len(source.lstrip(" "))
    for above in reversed(lines[:line - 1]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        if 0 < indent - above_indent < 2 or (above_indent < indent and ":" in above
                                             and not above.rstrip().endswith(":")):
            what = (f"this key is indented {indent} spaces, the one above {above_indent}: "
                    f"keys of one mapping line up (a key under another needs that one to "
                    f"end with ':')")
            return line, indent + 1, what
        break
    return None


def load_yaml(path: Path, data: bytes | None = None) -> tuple[object, Positions]:
    """Parse a YAML file (or its bytes, already read) into plain data plus the
    positions of its values."""
    text = read_text(path, "spec", data=data)
    positions = Positions(str(path))
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        place = SourcePlace(str(path), mark.line + 1, mark.column + 1) if mark else SourcePlace(str(path))
        slip = typing_slip(text, place.line)
        if slip is not None:
            line, column, what = slip
            raise BroadsheetError(what, SourcePlace(str(path), line, column)) from None
        raise BroadsheetError(f"YAML syntax error: {problem}", place) from None
    except yaml.YAMLError as exc:
        raise BroadsheetError(f"YAML error: {exc}", SourcePlace(str(path))) from None
    if root is None:
        raise BroadsheetError("spec is empty", SourcePlace(str(path), 1, 1))
    budget = [MAX_NODES]
    try:
        data = _build(root, (), positions, budget, 0, path)
    finally:
        # The loader remembers every node it constructed: in a long-lived process
        # (watch, serve) that kept each save's whole YAML tree alive.
        _SCALAR_LOADER.constructed_objects.clear()
    return data, positions


_SCALAR_LOADER = yaml.SafeLoader("")


def _scalar(node: yaml.ScalarNode):
    """A scalar's Python value by the safe loader's own resolution rules."""
    return _SCALAR_LOADER.construct_object(node, deep=True)


def _node_place(file, node: yaml.Node) -> SourcePlace:
    return SourcePlace(str(file), node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node, path, positions, budget, depth, file):
    budget[0] -= 1
    if budget[0] < 0:
        raise BroadsheetError(
            f"spec expands to more than {MAX_NODES} values (an alias bomb?)",
            positions.place(path))
    if depth > MAX_DEPTH:
        raise BroadsheetError(f"spec nests deeper than {MAX_DEPTH} levels", positions.place(path))
    if isinstance(node, yaml.ScalarNode):
        # Dates and times stay as text: the spec model parses and checks them itself
        # (building them here first raised a bare ValueError for 2026-13-45).
        if node.tag.endswith(":timestamp"):
            return node.value
        try:
            return _scalar(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise BroadsheetError(f"bad value: {exc}", positions.place(path)) from None
    if isinstance(node, yaml.SequenceNode):
        out = []
        for index, item in enumerate(node.value):
            positions.record(path + (index,), item)
            out.append(_build(item, path + (index,), positions, budget, depth + 1, file))
        return out
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise BroadsheetError("YAML merge keys (<<) are not supported in specs",
                                      _node_place(file, key_node))
            key = _build(key_node, path, positions, budget, depth + 1, file)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise BroadsheetError(f"mapping key must be text, got {key!r}",
                                      _node_place(file, key_node))
            key = str(key)
            if key in out:
                raise BroadsheetError(f"duplicate key {key!r}",
                                      _node_place(file, key_node))
            positions.record(path + (key,), value_node, key_node)
            out[key] = _build(value_node, path + (key,), positions, budget, depth + 1, file)
        return out
    raise BroadsheetError("unsupported YAML node", positions.place(path))
