"""load: a YAML spec file → a validated `LoadedSpec` (or a BroadsheetError with file:line:column)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import msgspec

from .. import units
from ..errors import BroadsheetError, SourcePlace
from ..findings import Finding
from .check import check_spec, resolve_copy
from .model import Length, Spec, TypeSize
from .yamlsource import Positions, load_yaml, read_text

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

    def place(self, *path):
        return self.positions.place(tuple(path))


def _unit_hook(table: str):
    def hook(kind, value):
        try:
            if kind is Length:
                return Length(units.length_pt(value))
            if kind is TypeSize:
                return TypeSize(units.type_size_pt(value, table))
        except units.UnitError as exc:
            raise ValueError(str(exc)) from None
        raise NotImplementedError
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
            raise BroadsheetError(f"unknown key {name!r}", positions.place(path + (name,), key=True)) from None
        missing = re.match(r"^Object missing required field `(.+)`$", message)
        if missing:
            raise BroadsheetError(f"missing required key {missing.group(1)!r}",
                                  positions.place(path)) from None
        message = message[0].lower() + message[1:]
        raise BroadsheetError(f"{message.replace('`', '')}", positions.place(path)) from None


def load_spec(path: str | Path, root: str | Path | None = None) -> LoadedSpec:
    """Load and check a spec; with `root`, every file it names must lie inside root."""
    path = Path(path)
    root = Path(root) if root is not None else None
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise BroadsheetError(f"spec is outside the allowed folder {root}", SourcePlace(str(path)))
    data, positions = load_yaml(path)
    spec = validate(data, positions)
    base = path.resolve().parent
    check_spec(spec, positions, base, root)
    copy, inputs, findings = resolve_copy(spec, positions, base)
    return LoadedSpec(spec, path, base, copy, positions, (path.resolve(), *inputs),
                      tuple(findings))


__all__ = ["LoadedSpec", "load_spec", "validate", "read_text"]
