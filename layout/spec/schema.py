"""The spec's JSON Schema, generated from the same structs the loader validates with."""

from __future__ import annotations

import msgspec

from ..units import PT_PER_MM
from .keyhelp import help_for
from .model import Length, Spec, TypeSize

_LENGTH = {
    "description": "A length: '12mm', '9pt', '1.5cm', '0.5in', or a number of millimetres.",
    "anyOf": [{"type": "number"},
              {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*(mm|cm|pt|in)?\s*$"}],
}
_TYPE_SIZE = {
    "description": "A type size: a 号 name (小五, 五号, 二号, 初号 …) or points ('10.5pt', 10.5).",
    "anyOf": [{"type": "number"}, {"type": "string"}],
}


def _hook(kind):
    if kind is Length:
        return dict(_LENGTH)
    if kind is TypeSize:
        return dict(_TYPE_SIZE)
    raise NotImplementedError


def _desk_length(points: float) -> str:
    """A default in points, written back in the unit a desk would write it in."""
    mm = points / PT_PER_MM
    return f"{round(mm, 2):g}mm" if abs(mm - round(mm, 2)) < 1e-6 else f"{points:g}pt"


def _tidy(node) -> None:
    """Defaults as a spec would write them: lengths with units; no struct-valued
    defaults (they repeat the struct's own)."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                default = prop.get("default")
                if isinstance(default, dict):
                    del prop["default"]
                elif prop.get("description") == _LENGTH["description"] and \
                        isinstance(default, (int, float)):
                    prop["default"] = _desk_length(default)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def _describe(schema: dict) -> None:
    """Every key's hover help, English then Chinese (keyhelp.py); a type's own
    description (lengths, type sizes) follows."""
    for name, definition in schema.get("$defs", {}).items():
        for key, prop in definition.get("properties", {}).items():
            found = help_for(name, key)
            if found is None:
                continue
            english, chinese = found
            own = prop.get("description")
            prop["description"] = f"{english}\n{chinese}" + (f"\n\n{own}" if own else "")


def spec_schema() -> dict:
    schema = msgspec.json.schema(Spec, schema_hook=_hook)
    _tidy(schema)
    _describe(schema)
    # A zoned edition (base:) takes paper, edition and pages from its base.
    root = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
    required = root.pop("required", None)
    if required:
        root["if"] = {"required": ["base"]}
        root["else"] = {"required": required}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "broadsheet edition spec"
    return schema
