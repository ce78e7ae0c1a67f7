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


def marathon_runners(w=2400, h=1400, seed=13):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.45), (150, 190, 230), (220, 232, 240))
    d.rectangle([0, int(h * 0.45), w, int(h * 0.55)], fill=(90, 140, 90))      # trees
    d.rectangle([0, int(h * 0.55), w, h], fill=(110, 110, 116))               # road
    for x in range(0, w, 160):
        d.rectangle([x, int(h * 0.8), x + 80, int(h * 0.81)], fill=(240, 240, 240))
    for _ in range(60):                                                       # runners
        x = rnd.randrange(0, w)
        y = rnd.randrange(int(h * 0.58), int(h * 0.95))
        s = 0.5 + (y - h * 0.55) / (h * 0.45)
        shirt = rnd.choice([(220, 50, 50), (40, 110, 200), (250, 200, 40), (240, 240, 240)])
        d.ellipse([x - 14 * s, y - 150 * s, x + 14 * s, y - 122 * s], fill=(120, 86, 64))
        d.rectangle([x - 18 * s, y - 122 * s, x + 18 * s, y - 70 * s], fill=shirt)
        d.line([(x - 8 * s, y - 70 * s), (x - 24 * s, y)], fill=(40, 40, 50), width=int(9 * s))
        d.line([(x + 8 * s, y - 70 * s), (x + 20 * s, y)], fill=(40, 40, 50), width=int(9 * s))
    d.rectangle([int(w * 0.3), int(h * 0.2), int(w * 0.7), int(h * 0.28)], fill=(200, 30, 40))
    return im.filter(ImageFilter.GaussianBlur(0.8))


def season(w, h, seed, ground, accent, sky_top, sky_bottom, kind):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.5), sky_top, sky_bottom)
    d.rectangle([0, int(h * 0.5), w, h], fill=ground)
    for _ in range(3000 if kind != "winter" else 1200):
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.5), h)
        r = 2 + (y - h * 0.5) / 60
        d.ellipse([x - r, y - r, x + r, y + r], fill=accent)
    if kind == "autumn":                              # ginkgo trees along a street
        for tx in range(100, w, 260):
            d.rectangle([tx - 12, int(h * 0.3), tx + 12, int(h * 0.75)], fill=(90, 70, 50))
            d.ellipse([tx - 120, int(h * 0.05), tx + 120, int(h * 0.42)], fill=(236, 190, 40))
    elif kind == "summer":                            # lotus leaves and flowers
        for _ in range(120):
            x, y = rnd.randrange(w), rnd.randrange(int(h * 0.52), h)
            d.ellipse([x - 60, y - 24, x + 60, y + 24], fill=(50, 130, 70))
        for _ in range(30):
            x, y = rnd.randrange(w), rnd.randrange(int(h * 0.5), h)
            d.polygon([(x, y - 50), (x - 22, y), (x + 22, y)], fill=(236, 120, 150))
    elif kind == "winter":                            # birds on the shoal
        for _ in range(60):
            x, y = rnd.randrange(w), rnd.randrange(int(h * 0.55), h)
            d.ellipse([x - 22, y - 12, x + 22, y + 12], fill=(250, 250, 250))
            d.line([(x + 16, y - 6), (x + 26, y - 30)], fill=(250, 250, 250), width=5)
    return im.filter(ImageFilter.GaussianBlur(0.9))


def opera_stage(w=2000, h=1400, seed=17):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (30, 20, 24))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, 140], fill=(150, 20, 30))                   # curtain valance
    for x in range(0, w, 60):
        d.rectangle([x, 0, x + 30, 140], fill=(170, 30, 40))
    d.rectangle([0, int(h * 0.72), w, h], fill=(100, 70, 50))          # stage floor
    d.ellipse([int(w * 0.2), int(h * 0.55), int(w * 0.8), int(h * 0.95)], fill=(150, 120, 80))
    # a ferry boat and lanterns
    d.polygon([(int(w * 0.15), int(h * 0.7)), (int(w * 0.55), int(h * 0.7)),
               (int(w * 0.5), int(h * 0.78)), (int(w * 0.2), int(h * 0.78))], fill=(90, 60, 40))
    for _ in range(9):
        x, y = rnd.randrange(100, w - 100), rnd.randrange(180, 420)
        d.line([(x, 140), (x, y)], fill=(80, 60, 40), width=3)
        d.ellipse([x - 30, y, x + 30, y + 70], fill=(250, 170, 60))
    for px, color in ((int(w * 0.42), (240, 240, 250)), (int(w * 0.6), (220, 80, 120))):
        py = int(h * 0.72)
        d.ellipse([px - 40, py - 330, px + 40, py - 250], fill=(236, 200, 170))
        d.polygon([(px - 90, py), (px + 90, py), (px + 50, py - 250), (px - 50, py - 250)],
                  fill=color)
        d.line([(px + 50, py - 220), (px + 190, py - 120)], fill=color, width=22)  # water sleeve
    return im.filter(ImageFilter.GaussianBlur(1.0))


def football_match(w=2200, h=1400, seed=19):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (60, 130, 60))
    d = ImageDraw.Draw(im)
    for x in range(0, w, 200):
        d.rectangle([x, 0, x + 100, h], fill=(70, 145, 70))
    d.rectangle([0, 0, w, 180], fill=(120, 120, 130))                   # stand
    for _ in range(900):
        x, y = rnd.randrange(w), rnd.randrange(10, 170)
        d.ellipse([x - 6, y - 6, x + 6, y + 6], fill=rnd.choice(
            [(220, 60, 60), (240, 240, 240), (40, 90, 180), (250, 210, 60)]))
    d.line([(w // 2, 180), (w // 2, h)], fill=(240, 240, 240), width=6)
    d.ellipse([w // 2 - 220, h // 2 - 130, w // 2 + 220, h // 2 + 310], outline=(240, 240, 240),
              width=6)
    for k in range(12):
        x = rnd.randrange(200, w - 200)
        y = rnd.randrange(420, h - 120)
        shirt = (200, 40, 40) if k % 2 else (240, 240, 240)
        d.ellipse([x - 20, y - 190, x + 20, y - 150], fill=(120, 86, 64))
        d.rectangle([x - 30, y - 150, x + 30, y - 70], fill=shirt)
        d.line([(x - 12, y - 70), (x - 30, y)], fill=(30, 30, 30), width=12)
        d.line([(x + 12, y - 70), (x + 26, y)], fill=(30, 30, 30), width=12)
    d.ellipse([w // 2 + 60, h - 300, w // 2 + 100, h - 260], fill=(250, 250, 250))
    return im.filter(ImageFilter.GaussianBlur(0.8))


def old_street(w=2000, h=1400, seed=23):
    """Two rows of arcaded shop houses (骑楼) along a stone-paved street, at dusk."""
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    sky(d, w, int(h * 0.45), (120, 140, 180), (236, 200, 160))
    vanish = (w // 2, int(h * 0.42))
    d.polygon([(0, h), (w, h), vanish], fill=(128, 124, 116))          # the street
    for k in range(1, 18):                                             # paving courses
        y = vanish[1] + (h - vanish[1]) * (k / 18) ** 1.8
        d.line([(0, y), (w, y)], fill=(104, 100, 94), width=2)
    for side in (-1, 1):                                              # the two rows
        x_far, x_near = vanish[0] + side * 150, (-w // 3 if side < 0 else w + w // 3)
        for k in range(9):
            t0, t1 = (k / 9) ** 1.6, ((k + 1) / 9) ** 1.6
            xa, xb = x_far + (x_near - x_far) * t0, x_far + (x_near - x_far) * t1
            top_a, top_b = vanish[1] - 40 - 520 * t0, vanish[1] - 40 - 520 * t1
            foot_a, foot_b = vanish[1] + 20 + (h - vanish[1]) * t0, vanish[1] + 20 + (h - vanish[1]) * t1
            wall = tuple(rnd.randrange(150, 215) for _ in range(3))
            d.polygon([(xa, top_a), (xb, top_b), (xb, foot_b), (xa, foot_a)], fill=wall)
            mid_a, mid_b = top_a + (foot_a - top_a) * 0.55, top_b + (foot_b - top_b) * 0.55
            d.polygon([(xa, mid_a), (xb, mid_b), (xb, foot_b), (xa, foot_a)],
                      fill=tuple(int(c * 0.45) for c in wall))                # the arcade
            lamp = ((xa + xb) / 2, (mid_a + mid_b) / 2 + 12)
            d.ellipse([lamp[0] - 9, lamp[1] - 9, lamp[0] + 9, lamp[1] + 9], fill=(255, 214, 120))
    return im.filter(ImageFilter.GaussianBlur(1.2))


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    bridge_at_dawn().save(HERE / "bridge.jpg", quality=88, dpi=(300, 300))
    harvest_field().save(HERE / "harvest.jpg", quality=88, dpi=(300, 300))
    library_hall().save(HERE / "library.jpg", quality=88, dpi=(300, 300))
    wetland_egrets().save(HERE / "wetland.jpg", quality=88, dpi=(300, 300))
    robot_class().save(HERE / "school.jpg", quality=88, dpi=(300, 300))
    marathon_runners().save(HERE / "marathon.jpg", quality=88, dpi=(300, 300))
    opera_stage().save(HERE / "opera.jpg", quality=88, dpi=(300, 300))
    football_match().save(HERE / "football.jpg", quality=88, dpi=(300, 300))
    old_street().save(HERE / "oldstreet.jpg", quality=88, dpi=(300, 300))
    seasons = {
        "spring": ((212, 200, 60), (246, 224, 70), (150, 190, 230), (225, 236, 240)),
        "summer": ((60, 120, 90), (90, 160, 110), (120, 170, 220), (210, 230, 240)),
        "autumn": ((190, 160, 90), (236, 190, 40), (160, 180, 210), (236, 226, 200)),
        "winter": ((150, 150, 140), (200, 200, 190), (180, 190, 200), (226, 228, 230)),
    }
    for k, (name, (ground, accent, top, bottom)) in enumerate(seasons.items()):
        season(2000, 1400, 20 + k, ground, accent, top, bottom, name).save(
            HERE / f"{name}.jpg", quality=88, dpi=(300, 300))


if __name__ == "__main__":
    main()
