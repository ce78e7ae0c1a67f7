"""prepress: PDF/X finishing, and (later) the preflight check."""
