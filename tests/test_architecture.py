"""The shape of the code: stages that import only the stages below them, no import
cycles, no import hidden in a function without the cost that justifies it, and
ReportLab behind one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "layout"

# Bottom to top: each may import its own layer and the layers before it.
LAYERS = [
    ("base", ["layout", "layout.errors", "layout.findings", "layout.units", "layout.limits",
              "layout.files", "layout.colors", "layout.conditions", "layout.memo"]),
    ("spec", ["layout.spec"]),
    ("fonts", ["layout.fonts"]),
    ("compose", ["layout.compose"]),
    ("place", ["layout.place"]),
    ("pdfx", ["layout.pdfx"]),
    ("paint", ["layout.paint"]),
    ("prepress", ["layout.prepress"]),
    ("app", ["layout.app"]),
    ("cli", ["layout.cli"]),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "layout" and module.startswith(prefix + ".")):
                best = index
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def imports(path: Path, name: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    known = modules()
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    in_function.add(id(inner))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = ".".join(base[: len(base) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target
                       for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for target in targets:
            if target == "layout" or target.startswith("layout."):
                out.append((target, node.lineno, id(node) in in_function))
    return out


def test_every_stage_imports_only_the_stages_below_it():
    upward = []
    for name, path in modules().items():
        for target, line, _ in imports(path, name):
            if layer_of(target) > layer_of(name):
                upward.append(f"{path.relative_to(ROOT)}:{line}: {name} "
                              f"({LAYERS[layer_of(name)][0]}) imports {target} "
                              f"({LAYERS[layer_of(target)][0]})")
    assert upward == []


def test_the_import_graph_has_no_cycle():
    known = modules()
    edges = {name: set() for name in known}
    for name, path in known.items():
        for target, _, _ in imports(path, name):
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name and not name.startswith(target + "."):
                edges[name].add(target)
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2
    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


_FIGURE = re.compile(r"\d+(\.\d+)?\s*(ms|s)\b")


def test_an_import_inside_a_function_says_what_it_saves():
    """Imports go at the top, except where a measured start-up cost says otherwise:
    the figure stands in a comment beside or above the import, in the function's
    docstring, or in the module's."""
    unexplained = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        module_doc = ast.get_docstring(tree) or ""
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(func) or ""
            for node in ast.walk(func):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                near = "\n".join(lines[max(0, node.lineno - 4):node.lineno])
                comments = " ".join(re.findall(r"#(.*)", near))
                if not (_FIGURE.search(comments) or _FIGURE.search(doc)
                        or _FIGURE.search(module_doc)):
                    unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not unexplained, "\n".join(sorted(set(unexplained)))


def test_only_the_door_imports_reportlab():
    door = PACKAGE / "paint" / "reportlab_door.py"
    others = []
    for path in PACKAGE.rglob("*.py"):
        if path == door:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "reportlab" or n.startswith("reportlab.") for n in names):
                others.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert others == []


def test_no_private_reportlab_attribute_outside_the_door():
    """canvas._doc, doc._ID, Catalog.__NoDefault__ …: only reportlab_door.py touches them."""
    door = PACKAGE / "paint" / "reportlab_door.py"
    private = re.compile(r"\b(canvas|doc|document|catalog|page)\.(_\w+)")
    found = [f"{p.relative_to(ROOT)}:{n}: {m.group(0)}"
             for p in (PACKAGE / "paint").rglob("*.py") if p != door
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             for m in private.finditer(line)]
    assert found == []


def test_the_readme_table_names_every_stage_package():
    """'How it works' names each stage's package, in pipeline order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## How it works"):]
    named = re.findall(r"^\| \w+ \| `layout/(\w+)`", table, flags=re.M)
    packages = [name for name, _ in LAYERS[1:-2]]
    assert named == packages
    for name in packages:
        assert (PACKAGE / name / "__init__.py").is_file()
