"""broadsheet: Chinese newspaper pages from a YAML spec to print-ready PDF.

Stages, each a subpackage with plain, immutable data between them:
spec (load) → compose (lines) → place (pages) → paint (PDF) → prepress (check).
"""

__version__ = "0.1.0"
