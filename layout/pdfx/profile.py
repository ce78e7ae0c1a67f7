"""The bundled newsprint CMYK profile, and the script that builds it.

No newsprint CMYK profile with a redistribution licence exists, so we build
our own, openly: an ICC v2 output profile ("prtr", CMYK ↔ Lab) whose tables
come from two documented models —

- **separation** (B2A0, Lab → CMYK): the colour is taken to sRGB and
  separated with full grey-component replacement (K carries the neutral
  part), middle tones lightened for newsprint's dot gain, and coverage kept
  well inside the 220% ink limit of ISO 12647-3 coldset;
- **press** (A2B0, CMYK → Lab): inks on newsprint with a tone value increase
  of about 26% at 40%, newsprint paper white (L* ≈ 82) and a solid black of
  L* ≈ 30, inks absorbing mainly their complementary light.

It is an approximation — a plant's own characterisation profile is better and
can be given instead — but it is a real ICC profile that LittleCMS (through
Pillow's ImageCms) applies, that PDF/X-4 can embed, and that anyone may
redistribute.  Rebuild with:

    python -m layout.pdfx.profile        # writes layout/pdfx/data/…icc
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

PROFILE_PATH = Path(__file__).resolve().parent / "data" / "broadsheet-newsprint.icc"
DESCRIPTION = "broadsheet newsprint (coldset, approximate, TAC 220%)"

D50 = (0.9642, 1.0, 0.8249)
PAPER_RGB = (0.60, 0.59, 0.52)          # newsprint white, linear light (L* ≈ 82, warm)
# Transmittance of a solid ink in each linear-light channel (R, G, B).
INKS = {
    "C": (0.14, 0.80, 0.95),
    "M": (0.90, 0.16, 0.72),
    "Y": (0.98, 0.92, 0.14),
    "K": (0.11, 0.11, 0.11),
}
DOT_GAIN_EXPONENT = 2.11                # 40% → 66%: a tone value increase of 26%


def _srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _linear_to_srgb(v: float) -> float:
    v = min(1.0, max(0.0, v))
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


# sRGB (linear) ↔ XYZ, adapted to D50 (Bradford), as ICC's PCS wants.
_RGB_TO_XYZ50 = ((0.4360747, 0.3850649, 0.1430804),
                 (0.2225045, 0.7168786, 0.0606169),
                 (0.0139322, 0.0971045, 0.7141733))
_XYZ50_TO_RGB = ((3.1338561, -1.6168667, -0.4906146),
                 (-0.9787684, 1.9161415, 0.0334540),
                 (0.0719453, -0.2289914, 1.4052427))


def _mat(m, v):
    return tuple(m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2] for i in range(3))


def _xyz_to_lab(xyz):
    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    fx, fy, fz = (f(xyz[i] / D50[i]) for i in range(3))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_to_xyz(lab):
    L, a, b = lab
    fy = (L + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def finv(t):
        return t ** 3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)
    return tuple(D50[i] * finv(v) for i, v in enumerate((fx, fy, fz)))


def press_lab(c: float, m: float, y: float, k: float) -> tuple[float, float, float]:
    """CMYK coverage (0–1) → the Lab it prints as on newsprint."""
    rgb = list(PAPER_RGB)
    for amount, ink in ((c, "C"), (m, "M"), (y, "Y"), (k, "K")):
        printed = 1 - (1 - amount) ** DOT_GAIN_EXPONENT
        for ch in range(3):
            rgb[ch] *= 1 - printed * (1 - INKS[ink][ch])
    return _xyz_to_lab(_mat(_RGB_TO_XYZ50, rgb))


def separate(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """sRGB (0–1, encoded) → CMYK for newsprint: full GCR, dot-gain compensation,
    within the ink limit (at most two chromatic inks plus K, each ≤ 95%)."""
    c, m, y = 1 - r, 1 - g, 1 - b
    k = min(c, m, y)
    c, m, y = c - k, m - k, y - k

    def gain(v):
        return v ** 1.18
    return 0.95 * gain(c), 0.95 * gain(m), 0.95 * gain(y), gain(k)


def _u16(v: float) -> int:
    return max(0, min(65535, round(v * 65535)))


def _lab_to_v2(lab) -> tuple[int, int, int]:
    L, a, b = lab
    return (max(0, min(65535, round(L / 100 * 0xFF00))),
            max(0, min(65535, round((a + 128) * 256))),
            max(0, min(65535, round((b + 128) * 256))))


def _mft2(inputs: int, outputs: int, grid: int, clut: list[int]) -> bytes:
    identity = [65536, 0, 0, 0, 65536, 0, 0, 0, 65536]
    head = b"mft2" + b"\0" * 4 + struct.pack(">BBBB", inputs, outputs, grid, 0)
    head += struct.pack(">9i", *identity) + struct.pack(">HH", 2, 2)
    tables_in = struct.pack(f">{2 * inputs}H", *([0, 65535] * inputs))
    tables_out = struct.pack(f">{2 * outputs}H", *([0, 65535] * outputs))
    return head + tables_in + struct.pack(f">{len(clut)}H", *clut) + tables_out


def build_profile() -> bytes:
    grid_a = 11
    clut_a: list[int] = []
    steps = [i / (grid_a - 1) for i in range(grid_a)]
    for c in steps:
        for m in steps:
            for y in steps:
                for k in steps:
                    clut_a.extend(_lab_to_v2(press_lab(c, m, y, k)))
    grid_b = 17
    clut_b: list[int] = []
    for i in range(grid_b):
        L = i / (grid_b - 1) * 65535 / 0xFF00 * 100
        for j in range(grid_b):
            a = j / (grid_b - 1) * 65535 / 256 - 128
            for n in range(grid_b):
                b = n / (grid_b - 1) * 65535 / 256 - 128
                rgb = _mat(_XYZ50_TO_RGB, _lab_to_xyz((min(L, 100.0), a, b)))
                encoded = [_linear_to_srgb(v) for v in rgb]
                clut_b.extend(_u16(v) for v in separate(*encoded))
    desc_ascii = DESCRIPTION.encode("ascii") + b"\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_ascii)) + desc_ascii +
            struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)
    cprt = b"text" + b"\0" * 4 + b"No copyright: free to use and redistribute.\0"
    white = _xyz_of_paper()
    wtpt = b"XYZ " + b"\0" * 4 + struct.pack(">3i", *(round(v * 65536) for v in white))
    press = _mft2(4, 3, grid_a, clut_a)
    separation = _mft2(3, 4, grid_b, clut_b)
    # Every rendering intent a CMYK output profile carries, and its gamut tag.  The
    # press model is one characterisation and the separation one strategy, so the
    # intents share their tables (ICC lets tags point at the same data).
    tags = [(b"desc", desc), (b"cprt", cprt), (b"wtpt", wtpt),
            (b"A2B0", press), (b"A2B1", press), (b"A2B2", press),
            (b"B2A0", separation), (b"B2A1", separation), (b"B2A2", separation),
            (b"gamt", _mft2(3, 1, grid_b, _gamut(grid_b)))]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    placed: dict[int, tuple[int, int]] = {}        # id(body) -> (offset, length)
    for sig, body in tags:
        if id(body) not in placed:
            data += b"\0" * ((-len(data)) % 4)
            placed[id(body)] = (offset + len(data), len(body))
            data += body
        table += sig + struct.pack(">II", *placed[id(body)])
    body = struct.pack(">I", len(tags)) + table + data
    size = 128 + len(body)
    header = struct.pack(">I4sI4s4s4s6H4s4sI4s4sQI3i4s16s28s", size, b"lcms", 0x02100000,
                         b"prtr", b"CMYK", b"Lab ", 2026, 1, 1, 0, 0, 0, b"acsp", b"\0" * 4,
                         0, b"\0" * 4, b"\0" * 4, 0, 0,
                         *(round(v * 65536) for v in D50), b"\0" * 4, b"\0" * 16, b"\0" * 28)
    return header + body


GAMUT_STEPS = 9            # CMYK samples per ink for the press's reachable colours
GAMUT_HUES = 36            # hue sectors of 10°
GAMUT_TOLERANCE = 3.0      # ΔE: what the press misses by less counts as reproduced


def _gamut(grid: int) -> list[int]:
    """gamt: for each Lab grid point, 0 where the press (the A2B model) can print the
    colour, 65535 where it cannot.  The press's reach is sampled over CMYK: per
    lightness band and hue sector, the largest chroma it attains."""
    steps = [i / (GAMUT_STEPS - 1) for i in range(GAMUT_STEPS)]
    reach: dict[tuple[int, int], float] = {}
    lightness = []
    for c in steps:
        for m in steps:
            for y in steps:
                for k in steps:
                    L, a, b = press_lab(c, m, y, k)
                    lightness.append(L)
                    key = (round(L / 100 * (grid - 1)), _hue_sector(a, b))
                    reach[key] = max(reach.get(key, 0.0), math.hypot(a, b))
    darkest, lightest = min(lightness), max(lightness)
    out = []
    for i in range(grid):
        L = min(100.0, i / (grid - 1) * 65535 / 0xFF00 * 100)
        for j in range(grid):
            a = j / (grid - 1) * 65535 / 256 - 128
            for n in range(grid):
                b = n / (grid - 1) * 65535 / 256 - 128
                band = round(L / 100 * (grid - 1))
                limit = max(reach.get((near, _hue_sector(a, b)), 0.0)
                            for near in (band - 1, band, band + 1))
                inside = darkest - GAMUT_TOLERANCE <= L <= lightest + GAMUT_TOLERANCE and \
                    math.hypot(a, b) <= limit + GAMUT_TOLERANCE
                out.append(0 if inside else 65535)
    return out


def _hue_sector(a: float, b: float) -> int:
    return int((math.degrees(math.atan2(b, a)) % 360) // (360 / GAMUT_HUES))


def _xyz_of_paper():
    return _mat(_RGB_TO_XYZ50, PAPER_RGB)


def main() -> None:
    PROFILE_PATH.parent.mkdir(parents=True, exist_ok=True)
    PROFILE_PATH.write_bytes(build_profile())
    print(f"{PROFILE_PATH} ({PROFILE_PATH.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
