"""Draw the sample edition's photos (original, procedural; run once, results committed).

    python samples/make_photos.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent / "photos"


def sky(draw, w, h, top, bottom):
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(top[i] + (bottom[i] - top[i]) * t)
                                              for i in range(3)))


def bridge_at_dawn(w=2400, h=1500, seed=7):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.62), (92, 128, 178), (238, 186, 136))
    d.rectangle([0, int(h * 0.62), w, h], fill=(58, 84, 104))
    # river glints
    for _ in range(900):
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.63), h)
        d.line([(x, y), (x + rnd.randrange(8, 40), y)], fill=(200, 170, 130), width=2)
    # far hills
    pts = [(0, int(h * 0.55))]
    for x in range(0, w + 60, 60):
        pts.append((x, int(h * 0.52 + 30 * math.sin(x / 210) + 18 * math.sin(x / 77))))
    pts += [(w, int(h * 0.62)), (0, int(h * 0.62))]
    d.polygon(pts, fill=(96, 112, 132))
    # city skyline
    x = 0
    while x < w:
        bw = rnd.randrange(40, 120)
        bh = rnd.randrange(60, 330)
        base = int(h * 0.62)
        d.rectangle([x, base - bh, x + bw, base], fill=(70, 80, 98))
        for wy in range(base - bh + 12, base - 8, 22):
            for wx in range(x + 8, x + bw - 8, 18):
                if rnd.random() < 0.35:
                    d.rectangle([wx, wy, wx + 7, wy + 10], fill=(250, 214, 150))
        x += bw + rnd.randrange(4, 20)
    # the bridge: deck, towers and cables
    deck = int(h * 0.66)
    d.rectangle([0, deck, w, deck + 26], fill=(40, 44, 52))
    for tx in (int(w * 0.3), int(w * 0.7)):
        d.rectangle([tx - 22, int(h * 0.22), tx + 22, deck + 150], fill=(48, 52, 60))
        for k in range(1, 15):
            d.line([(tx, int(h * 0.24)), (tx - k * 48, deck)], fill=(70, 74, 84), width=3)
            d.line([(tx, int(h * 0.24)), (tx + k * 48, deck)], fill=(70, 74, 84), width=3)
    return im.filter(ImageFilter.GaussianBlur(1.2))


def harvest_field(w=2000, h=1400, seed=11):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.4), (120, 170, 220), (220, 232, 240))
    for row in range(int(h * 0.4), h, 6):
        t = (row - h * 0.4) / (h * 0.6)
        d.line([(0, row), (w, row)], fill=(int(210 - 40 * t), int(170 - 50 * t), int(60 - 20 * t)),
               width=6)
    for _ in range(5000):
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.42), h)
        length = 6 + int((y - h * 0.4) / 30)
        d.line([(x, y), (x + rnd.randrange(-3, 4), y - length)], fill=(236, 196, 92), width=2)
    # a combine harvester
    cx, cy = int(w * 0.55), int(h * 0.6)
    d.rectangle([cx - 220, cy - 120, cx + 120, cy + 40], fill=(200, 40, 36))
    d.rectangle([cx + 120, cy - 60, cx + 260, cy + 40], fill=(180, 30, 30))
    d.rectangle([cx - 160, cy - 210, cx - 20, cy - 120], fill=(60, 80, 96))
    for wx in (cx - 170, cx + 60):
        d.ellipse([wx - 60, cy + 10, wx + 60, cy + 130], fill=(30, 30, 30))
    d.rectangle([cx - 400, cy + 20, cx - 220, cy + 60], fill=(120, 120, 120))
    # people
    for px in (int(w * 0.2), int(w * 0.26), int(w * 0.82)):
        py = int(h * 0.7) + rnd.randrange(-20, 20)
        d.ellipse([px - 16, py - 120, px + 16, py - 88], fill=(120, 86, 64))
        d.rectangle([px - 24, py - 88, px + 24, py], fill=(40, 90, 160))
    return im.filter(ImageFilter.GaussianBlur(0.8))


def library_hall(w=1800, h=1300, seed=3):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (236, 228, 214))
    d = ImageDraw.Draw(im)
    for shelf in range(0, w, 300):
        d.rectangle([shelf + 20, 80, shelf + 270, h - 260], fill=(120, 84, 52))
        for sy in range(100, h - 280, 110):
            x = shelf + 30
            while x < shelf + 260:
                bw = rnd.randrange(10, 26)
                color = rnd.choice([(160, 40, 40), (40, 80, 140), (210, 180, 90), (60, 120, 80),
                                    (230, 230, 220), (90, 60, 120)])
                d.rectangle([x, sy + rnd.randrange(0, 16), x + bw, sy + 96], fill=color)
                x += bw + 2
    d.rectangle([0, h - 260, w, h], fill=(170, 140, 110))
    for tx in range(150, w, 500):
        d.rectangle([tx, h - 330, tx + 360, h - 300], fill=(110, 80, 50))
        for px in (tx + 60, tx + 280):
            d.ellipse([px - 30, h - 440, px + 30, h - 380], fill=(90, 64, 50))
            d.rectangle([px - 40, h - 380, px + 40, h - 300], fill=rnd.choice(
                [(200, 60, 60), (60, 100, 170), (240, 200, 80)]))
    return im.filter(ImageFilter.GaussianBlur(0.7))


def wetland_egrets(w=2600, h=1400, seed=5):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.45), (170, 196, 220), (228, 226, 214))
    sky_h = int(h * 0.45)
    for y in range(sky_h, h):
        t = (y - sky_h) / (h - sky_h)
        d.line([(0, y), (w, y)], fill=(int(150 - 60 * t), int(170 - 50 * t), int(170 - 40 * t)))
    # reed beds
    for _ in range(2600):
        x = rnd.randrange(w)
        base = rnd.choice([int(h * 0.47), int(h * 0.9)]) + rnd.randrange(-20, 20)
        d.line([(x, base), (x + rnd.randrange(-10, 10), base - rnd.randrange(40, 140))],
               fill=rnd.choice([(150, 130, 80), (180, 160, 100), (120, 110, 70)]), width=3)
    # egrets: white bodies, long necks
    for _ in range(26):
        x, y = rnd.randrange(100, w - 100), rnd.randrange(int(h * 0.55), int(h * 0.85))
        s = rnd.uniform(0.7, 1.3)
        d.ellipse([x - 40 * s, y - 22 * s, x + 40 * s, y + 22 * s], fill=(246, 246, 240))
        d.line([(x + 30 * s, y - 10 * s), (x + 48 * s, y - 70 * s)], fill=(246, 246, 240),
               width=int(9 * s))
        d.ellipse([x + 40 * s, y - 86 * s, x + 60 * s, y - 66 * s], fill=(246, 246, 240))
        d.line([(x + 58 * s, y - 76 * s), (x + 92 * s, y - 72 * s)], fill=(220, 180, 60), width=4)
        d.line([(x - 6 * s, y + 20 * s), (x - 6 * s, y + 70 * s)], fill=(40, 40, 40), width=4)
        d.line([(x + 10 * s, y + 20 * s), (x + 10 * s, y + 70 * s)], fill=(40, 40, 40), width=4)
    # birds in flight
    for _ in range(18):
        x, y = rnd.randrange(w), rnd.randrange(60, int(h * 0.35))
        d.arc([x - 40, y - 10, x, y + 20], 200, 340, fill=(250, 250, 250), width=6)
        d.arc([x, y - 10, x + 40, y + 20], 200, 340, fill=(250, 250, 250), width=6)
    return im.filter(ImageFilter.GaussianBlur(0.9))


def robot_class(w=2000, h=1400, seed=9):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (214, 222, 230))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, int(h * 0.55)], fill=(200, 214, 226))        # wall
    d.rectangle([160, 90, 1100, 520], fill=(40, 70, 60))              # blackboard
    for _ in range(14):
        x, y = rnd.randrange(200, 1000), rnd.randrange(130, 480)
        d.line([(x, y), (x + rnd.randrange(40, 160), y + rnd.randrange(-10, 10))],
               fill=(230, 230, 220), width=4)
    d.rectangle([0, int(h * 0.55), w, h], fill=(176, 140, 100))       # floor
    d.rectangle([200, 760, 1800, 840], fill=(230, 220, 200))          # table
    # a small robot on the table
    d.rectangle([880, 600, 1080, 760], fill=(240, 120, 40))
    d.rectangle([920, 520, 1040, 600], fill=(250, 250, 250))
    for ex in (950, 1010):
        d.ellipse([ex - 12, 545, ex + 12, 569], fill=(30, 90, 200))
    d.line([(880, 650), (800, 600)], fill=(90, 90, 90), width=14)
    d.line([(1080, 650), (1160, 600)], fill=(90, 90, 90), width=14)
    # pupils around the table
    for px in (380, 620, 1320, 1560):
        py = 900
        d.ellipse([px - 55, py - 330, px + 55, py - 220], fill=(110, 80, 60))
        d.rectangle([px - 80, py - 220, px + 80, py - 40],
                    fill=rnd.choice([(40, 110, 190), (220, 60, 60), (250, 250, 250)]))
        d.rectangle([px - 70, py - 40, px + 70, py + 200], fill=(40, 50, 70))
    return im.filter(ImageFilter.GaussianBlur(0.8))


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    bridge_at_dawn().save(HERE / "bridge.jpg", quality=88, dpi=(300, 300))
    harvest_field().save(HERE / "harvest.jpg", quality=88, dpi=(300, 300))
    library_hall().save(HERE / "library.jpg", quality=88, dpi=(300, 300))
    wetland_egrets().save(HERE / "wetland.jpg", quality=88, dpi=(300, 300))
    robot_class().save(HERE / "school.jpg", quality=88, dpi=(300, 300))


if __name__ == "__main__":
    main()
