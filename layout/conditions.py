"""Printing conditions: the registered characterisations the tool knows, each with
the ink limit the plant holds to.

A PDF/X file names its condition in its output intent.  A registered one (the
ICC's characterisation registry) needs no profile in PDF/X-1a; any other is the
plant's own and is declared with its profile embedded.
"""

from __future__ import annotations

from typing import NamedTuple

REGISTRY = "http://www.color.org"


class Condition(NamedTuple):
    description: str          # the characterisation, as the output intent states it
    tac_percent: float        # the total ink (C+M+Y+K) the plant allows


CONDITIONS: dict[str, Condition] = {
    "IFRA26": Condition("ISO 12647-3:2013 coldset offset on standard newsprint (IFRA26)",
                        220.0),
    "IFRA30": Condition("ISO 12647-3:2013 coldset offset on improved newsprint (IFRA30)",
                        240.0),
    "FOGRA39": Condition("ISO 12647-2:2004/Amd 1 offset, paper type 1 or 2, coated "
                         "(FOGRA39)", 330.0),
    "FOGRA51": Condition("ISO 12647-2:2013 offset, premium coated paper (FOGRA51)", 300.0),
}

# Identifiers of the ICC's characterisation registry a PDF/X file may name without
# embedding a profile (those above, and others a supplied file may carry).
REGISTERED = frozenset(CONDITIONS) | {
    "FOGRA27", "FOGRA28", "FOGRA29", "FOGRA30", "FOGRA31", "FOGRA40", "FOGRA42", "FOGRA43",
    "FOGRA45", "FOGRA47", "FOGRA52", "FOGRA53", "FOGRA54", "CGATS TR 001", "CGATS TR 002",
    "CGATS TR 003", "CGATS TR 005", "CGATS TR 006", "CGATS 21-2-CRPC1", "CGATS 21-2-CRPC5",
    "CGATS 21-2-CRPC6", "CGATS 21-2-CRPC7", "IFRA28", "JC200103", "JCW2003", "JCN2002",
}

DEFAULT_TAC_PERCENT = 220.0   # newsprint: the plant's own condition, unless set


def ink_limit(condition: str, tac_percent: float | None = None) -> float:
    """The ink limit in force: the spec's setting, else its condition's, else newsprint's."""
    if tac_percent is not None:
        return tac_percent
    known = CONDITIONS.get(condition)
    return known.tac_percent if known else DEFAULT_TAC_PERCENT
