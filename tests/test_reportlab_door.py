"""ReportLab behind one door: the installed version has every internal the door uses,
and lies in the range pyproject.toml pins."""

from __future__ import annotations

import re
from importlib.metadata import version

from packaging.specifiers import SpecifierSet

from layout.paint.reportlab_door import INTERNALS, missing_internals

from .conftest import ROOT


def test_the_installed_reportlab_has_what_the_door_uses():
    missing = missing_internals()
    assert not missing, (
        f"ReportLab {version('reportlab')} lacks what layout/paint/reportlab_door.py uses: "
        f"{', '.join(missing)}. Install a version within the range pinned in pyproject.toml, "
        f"or adapt the door to this version and widen the pin.")


def test_the_door_would_notice_a_missing_internal(monkeypatch):
    """The check is real: take one internal away and it is named."""
    from reportlab.pdfbase import pdfdoc
    monkeypatch.delattr(pdfdoc.PDFInfo, "format")
    assert missing_internals() == ["PDFInfo.format"]
    assert ("PDFInfo", "format") in INTERNALS


def test_reportlab_is_pinned_to_the_tested_range():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pin = re.search(r'"reportlab([^"]*)"', pyproject).group(1)
    specifier = SpecifierSet(pin)
    assert any(s.operator == "<" for s in specifier), f"no upper bound: reportlab{pin}"
    assert version("reportlab") in specifier, (version("reportlab"), pin)
