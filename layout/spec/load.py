"""load: a YAML spec file → a validated `LoadedSpec` (or a BroadsheetError with file:line:column)."""

from __future__ import annotations

import math
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from .. import units
from ..errors import BroadsheetError, SourcePlace, did_you_mean
from ..files import resolved
from ..findings import Finding
from .artwork import Artwork, read_ads
from .check import check_spec, resolve_copy
from .confined import Snapshot, named_files, read_confined
from .model import Length, Spec, TypeSize
from .tables import table_rows
from .yamlsource import KEY_SLIP, Positions, full_width_slip, load_yaml, read_text

_MSGSPEC_PATH = re.compile(r" - at `\$(.*)`$")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_UNKNOWN = re.compile(r"^Object contains unknown field `(.+)`$")


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec with everything it names read in."""

    spec: Spec
    path: Path                       # the spec file
    base_dir: Path                   # files in the spec resolve against this folder
    copy: dict[str, str]             # article id → body copy (inline or from its file)
    positions: Positions             # where each spec value came from
    inputs: tuple[Path, ...]         # every file the render reads (for staleness)
    findings: tuple[Finding, ...] = ()   # accepted, but the desk should know (GB18030 copy …)
    artwork: dict[str, Artwork] | None = None   # each supplied ad's artwork, by ad id
    page_sources: tuple[str, ...] = ()   # a zoned edition: the spec file each page is from
    snapshot: Snapshot | None = None     # under --root: the private copies base_dir points into
    tables: dict[str, tuple] = field(default_factory=dict)   # table id → rows of cell text

    def place(self, *path):
        return self.positions.place(tuple(path))


def _unit_hook(table: str):
    def hook(kind, value):
        try:
            if kind is Length:
                converted = units.length_pt(value)
            elif kind is TypeSize:
                converted = units.type_size_pt(value, table)
            else:
                raise NotImplementedError
        except units.UnitError as exc:
            raise ValueError(str(exc)) from None
        # NaN, infinities and lengths beyond any page would reach the content stream.
        if not math.isfinite(converted) or not 0 <= converted <= units.MAX_LENGTH_PT:
            raise ValueError(f"{value!r} is not a length from 0 to "
                             f"{units.MAX_LENGTH_PT / units.PT_PER_MM:.0f} mm")
        return kind(converted)
    return hook


def _parse_path(text: str) -> tuple:
    return tuple(m.group(1) if m.group(1) is not None else int(m.group(2))
                 for m in _PATH_PART.finditer(text))


def validate(data: object, positions: Positions) -> Spec:
    """Plain data → Spec, with msgspec's message turned into a placed error."""
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("list", "a list").replace("str", "text")
        raise BroadsheetError(f"spec must be a mapping of keys (paper, edition, pages …), "
                              f"not {kind}", positions.place(()))
    style = data.get("style") if isinstance(data.get("style"), dict) else {}
    table = style.get("size_table", "typesetting")
    if table not in units.HAO_SIZES_PT:
        table = "typesetting"
    try:
        return msgspec.convert(data, Spec, dec_hook=_unit_hook(table))
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _MSGSPEC_PATH.search(message)
        path = _parse_path(match.group(1)) if match else ()
        message = _MSGSPEC_PATH.sub("", message)
        unknown = _UNKNOWN.match(message)
        if unknown:
            name = unknown.group(1)
            known = keys_at(path)
            hint = did_you_mean(name, known) or \
                (f"; the keys here are {', '.join(known)}" if known else "")
            raise BroadsheetError(f"unknown key {name!r}{hint}",
                                  positions.place(path + (name,), key=True)) from None
        missing = re.match(r"^Object missing required field `(.+)`$", message)
        if missing:
            raise BroadsheetError(f"missing required key {missing.group(1)!r}",
                                  positions.place(path)) from None
        message = message[0].lower() + message[1:]
        message = message.replace('`', '')
        value = _value_at(data, path)
        choices = choices_at(path)
        if message.startswith("invalid enum value") and choices:
            key = next((step for step in reversed(path) if isinstance(step, str)), "value")
            raise BroadsheetError(
                f"{key}: {value!r} is not one of {', '.join(choices)}"
                + did_you_mean(str(value), choices, cutoff=0.5),
                positions.place(path)) from None
        slip = KEY_SLIP.match(value) if isinstance(value, str) else None
        if slip:                           # "name： 江川日报": one key, read as text
            raise BroadsheetError(full_width_slip(slip), positions.place(path)) from None
        message = _plain_types(message, path, value) + _value_hint(message, value)
        raise BroadsheetError(message, positions.place(path)) from None


def _value_at(data, path: tuple):
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_TYPE_WORDS = {"int": "a whole number", "float": "a number", "str": "text",
               "bool": "true or false", "array": "a list", "object": "keys (a mapping)",
               "null": "nothing"}


def _plain_types(message: str, path: tuple, value) -> str:
    """msgspec's "expected int | null, got str" in the spec's own terms, with the key
    and the value written: "number: expected a whole number, got text '第8123期'"."""
    match = re.match(r"^expected (.+?), got (\w+)$", message)
    if not match:
        return message
    wanted = [_TYPE_WORDS.get(t.strip(), t.strip()) for t in match.group(1).split("|")
              if t.strip() != "null"]
    got = _TYPE_WORDS.get(match.group(2), match.group(2))
    shown = f" {value!r}" if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
        else ""
    key = next((step for step in reversed(path) if isinstance(step, str)), None)
    return (f"{key}: " if key else "") + f"expected {' or '.join(wanted)}, got {got}{shown}"


def _value_hint(message: str, value) -> str:
    """What to write instead, where the value shows it: "第8123期" for a number,
    "12mmm" for a length."""
    if "expected int" in message and isinstance(value, str):
        digits = re.sub(r"\D", "", value)
        if digits:
            return f": write the number alone, {digits}"
    if "expected float" in message and isinstance(value, str):
        number = re.match(r"^\s*(\d+(?:\.\d+)?)", value)
        if number:
            return f": write {number.group(1)}"
    return ""


def keys_at(path: tuple) -> list[str]:
    """The keys the spec allows in the mapping at `path` (YAML names), for a
    did-you-mean; empty where the path leads to no fixed set."""
    kind = _struct_in(_type_at(path))
    return sorted(f.encode_name for f in msgspec.structs.fields(kind)) if kind else []


def choices_at(path: tuple) -> list[str]:
    """The values a key with a fixed set of them (Literal) allows, for a did-you-mean."""
    if not path or not isinstance(path[-1], str):
        return []
    parent = _struct_in(_type_at(path[:-1]))
    field = next((f for f in msgspec.structs.fields(parent) if f.encode_name == path[-1]),
                 None) if parent else None
    if field is None:
        return []
    out: list[str] = []
    stack = [field.type]
    while stack:
        kind = stack.pop()
        if typing.get_origin(kind) is typing.Literal:
            out.extend(str(v) for v in typing.get_args(kind))
        else:
            stack.extend(typing.get_args(kind))
    return out


def _type_at(path: tuple):
    kind: object = Spec
    for step in path:
        kind = _struct_in(kind, list_item=isinstance(step, int))
        if kind is None:
            return None
        if isinstance(step, str):
            field = next((f for f in msgspec.structs.fields(kind) if f.encode_name == step),
                         None)
            if field is None:
                return None
            kind = field.type
    return kind


def _struct_in(kind, list_item: bool = False):
    """The Struct type inside an annotation (Optional, Union, list, Annotated)."""
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        return kind
    if origin is typing.Annotated:
        return _struct_in(typing.get_args(kind)[0], list_item)
    if origin in (list, tuple) and list_item:
        return _struct_in(typing.get_args(kind)[0])
    if origin is dict and list_item is False:
        return None
    for arg in typing.get_args(kind):
        found = _struct_in(arg, list_item)
        if found is not None:
            return found
    return None


def load_spec(path: str | Path, root: str | Path | None = None) -> LoadedSpec:
    """Load and check a spec; with `root`, every file it names must lie inside root."""
    path = Path(path)
    root = Path(root) if root is not None else None
    data, positions = _read_spec(path, root)
    data, positions, sources, bases = with_base(path, data, positions, root)
    spec = validate(data, positions)
    base = path.resolve().parent
    snapshot = Snapshot(root, base, named_files(spec), positions) if root is not None else None
    files_at = snapshot.base_dir if snapshot else base
    check_spec(spec, positions, files_at)
    copy, inputs, findings = resolve_copy(spec, positions, files_at)
    artwork = read_ads(spec, positions, files_at)
    inputs.extend(art.path.resolve() for art in artwork.values())
    tables = table_rows(spec, positions, files_at)
    inputs.extend(resolved(files_at / table.csv) for page in spec.pages
                  for table in page.tables if table.csv is not None)
    if snapshot:
        inputs = [snapshot.original(p, root) for p in inputs]
    return LoadedSpec(spec, path, files_at, copy, positions, (path.resolve(), *bases, *inputs),
                      tuple(findings), artwork, sources or (path.name,) * len(spec.pages),
                      snapshot, tables)


def _read_spec(path: Path, root: Path | None) -> tuple[object, Positions]:
    """A spec file's data; under `root`, read confined (no link followed)."""
    if root is None:
        return load_yaml(path)
    return load_yaml(path, read_confined(root, path, "spec", SourcePlace(str(path))))


MAX_BASES = 4     # a zone of a zone of …: deep enough for any paper, short of a loop


def with_base(path: Path, data, positions: Positions, root: Path | None,
              chain: tuple[Path, ...] = ()) -> tuple[object, Positions, tuple, list[Path]]:
    """A zoned edition (`base: city.yaml`) merged onto its base: its own top-level
    settings over the base's (mappings merged key by key), its pages replacing the
    base's (`replaces: N`) or added after them.  Returns the data, the positions
    (each in the file it came from), the file each page is from, and the bases."""
    if not isinstance(data, dict) or "base" not in data:
        return data, positions, (), []
    place = positions.place(("base",))
    name = data["base"]
    if not isinstance(name, str) or not name:
        raise BroadsheetError("base names the spec this zoned edition builds on", place)
    base_path = path.parent / name
    if base_path.resolve().parent != path.resolve().parent:
        raise BroadsheetError("a zoned edition's base must lie beside it (the files both "
                              "name resolve in one folder)", place)
    if root is not None and not base_path.resolve().is_relative_to(Path(root).resolve()):
        raise BroadsheetError(f"base is outside the allowed folder {root}", place)
    if base_path.resolve() in chain or base_path.resolve() == path.resolve() \
            or len(chain) >= MAX_BASES:
        raise BroadsheetError(f"base {name} leads back to itself (or more than {MAX_BASES} "
                              f"deep)", place)
    if not base_path.is_file():
        raise BroadsheetError(f"base spec not found: {name}", place)
    base_data, base_positions = _read_spec(base_path, root)
    base_data, base_positions, base_sources, bases = with_base(
        base_path, base_data, base_positions, root, (*chain, path.resolve()))
    if not isinstance(base_data, dict) or not isinstance(base_data.get("pages"), list):
        raise BroadsheetError("a base spec needs its pages", base_positions.place(()))
    merged_positions = Positions(str(path))
    merged_positions.graft(base_positions, (), ())
    merged = dict(base_data)
    for key, value in data.items():
        if key not in ("base", "pages"):
            merged[key] = _merge(merged.get(key), value, positions, merged_positions, (key,))
    pages = list(base_data["pages"])
    sources = list(base_sources or (base_path.name,) * len(pages))
    zone_pages = data.get("pages", [])
    if not isinstance(zone_pages, list):
        raise BroadsheetError("pages of a zoned edition: a list of pages that replace the "
                              "base's (replaces: N) or follow them", positions.place(("pages",)))
    for k, page in enumerate(zone_pages):
        replaces = page.get("replaces") if isinstance(page, dict) else None
        if replaces is None:
            pages.append(page)
            sources.append(path.name)
            at = len(pages) - 1
        elif isinstance(replaces, int) and 1 <= replaces <= len(base_data["pages"]):
            at = replaces - 1
            pages[at] = page
        else:
            raise BroadsheetError(f"replaces: the base has pages 1–{len(base_data['pages'])}",
                                  positions.place(("pages", k, "replaces")))
        merged_positions.graft(positions, ("pages", k), ("pages", at))
        sources[at] = path.name
    merged["pages"] = pages
    return merged, merged_positions, tuple(sources), [base_path.resolve(), *bases]


def _merge(base_value, value, positions: Positions, merged: Positions, path: tuple):
    """A zone's value over the base's: mappings key by key, anything else replaced."""
    if isinstance(base_value, dict) and isinstance(value, dict):
        out = dict(base_value)
        for key, item in value.items():
            out[key] = _merge(base_value.get(key), item, positions, merged, (*path, key))
        return out
    merged.graft(positions, path, path)
    return value


__all__ = ["LoadedSpec", "load_spec", "validate", "read_text"]
