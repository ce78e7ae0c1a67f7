"""prepress: what PDF/X must declare, the newsprint profile, preflight, proofing, diffs."""
