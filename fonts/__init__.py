"""The bundled fonts (data only; see README.md and build.py in this folder)."""
