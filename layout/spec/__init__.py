"""load: YAML edition spec → validated, immutable spec objects."""

from .load import LoadedSpec, load_spec

__all__ = ["LoadedSpec", "load_spec"]
