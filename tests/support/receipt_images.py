"""Receipts drawn with Pillow, with the truth they print: for the reading benchmark
(tests/perf/test_receipt_reading.py) and the tests that read one for real.

Several layouts (a till slip, a table with quantities, a continental slip with comma
decimals, an invoice with "amount due"), Debian's DejaVu and Liberation fonts (fonts-dejavu-core,
fonts-liberation) in several sizes, random merchants, dates in several formats, and a subtotal,
tax lines and cash/change as distractors around the total; then a slight rotation and noise.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSans-Bold.ttf",
    "LiberationSans-Regular.ttf",
    "LiberationMono-Regular.ttf",
    "LiberationSerif-Regular.ttf",
    "LiberationSans-Bold.ttf",
)
SHOPS = ("Corner", "Green", "Blue Door", "Harbour", "Market", "Station", "Village", "Old Town")
KINDS = ("Cafe", "Bakery", "Books", "Hardware", "Pharmacy", "Grocer", "Bistro", "Stationers")
ITEMS = (
    "Coffee",
    "Croissant",
    "Notebook",
    "Printer paper",
    "Sandwich",
    "Batteries",
    "Tape",
    "Water",
    "Pens x10",
    "Salad",
    "Cable",
    "Envelopes",
    "Tea",
    "Muffin",
    "Stapler",
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Drawn:
    image: Image.Image
    merchant: str
    date: date
    total: Decimal
    currency: str

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "PNG")
        return out.getvalue()


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    raise FileNotFoundError(f"{name}: install fonts-dejavu-core and fonts-liberation")


def money(value: Decimal, comma: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",") if comma else text


def date_text(rng: random.Random, when: date, currency: str) -> str:
    us = currency == "USD"
    formats = [
        when.isoformat(),
        when.strftime("%d %b %Y"),
        when.strftime("%b %d, %Y"),
        when.strftime("%d-%b-%y"),
        when.strftime("%m/%d/%Y") if us else when.strftime("%d/%m/%Y"),
        when.strftime("%d.%m.%Y"),
    ]
    return rng.choice(formats)


def _lines(rng: random.Random, layout: str, currency: str) -> tuple[list[str], Decimal, str]:
    comma = layout == "continental"
    name = f"{rng.choice(SHOPS)} {rng.choice(KINDS)}"
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}[currency]
    lines = [name.upper() if rng.random() < 0.5 else name, f"{rng.randint(1, 250)} High Street"]
    subtotal = Decimal(0)
    items = []
    for _ in range(rng.randint(2, 6)):
        qty = rng.randint(1, 3)
        price = Decimal(rng.randint(50, 4000)) / 100
        subtotal += qty * price
        label = rng.choice(ITEMS)
        items.append(
            f"{qty} x {label}  {money(qty * price, comma)}"
            if layout == "table"
            else f"{label}  {money(qty * price, comma)}"
        )
    rate = Decimal(rng.choice([5, 7, 10, 19, 20])) / 100
    tax = (subtotal * rate).quantize(CENT, ROUND_HALF_UP)
    total = subtotal + tax
    cash = Decimal(((int(total) // 10) + 1) * 10 + rng.choice([0, 10, 40]))
    tax_word = {"continental": "MwSt", "invoice": "VAT"}.get(layout, rng.choice(["Tax", "VAT"]))
    tail = [
        f"Subtotal  {money(subtotal, comma)}",
        f"{tax_word} {int(rate * 100)}%  {money(tax, comma)}",
    ]
    if layout == "invoice":
        tail.append(f"Amount due  {currency} {money(total, comma)}")
    elif layout == "continental":
        tail.append(f"SUMME {currency}  {money(total, comma)}")
    else:
        tail.append(f"TOTAL  {symbol}{money(total, comma)}")
    tail += [f"Cash  {money(cash, comma)}", f"Change  {money(cash - total, comma)}"]
    return [*lines, "", *items, "", *tail, "", "Thank you!"], total, name


def draw(rng: random.Random) -> Drawn:
    layout = rng.choice(["till", "table", "continental", "invoice"])
    currency = "EUR" if layout == "continental" else rng.choice(["EUR", "GBP", "USD"])
    when = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
    body, total, merchant = _lines(rng, layout, currency)
    label = rng.choice(["Date:", "Date", ""])
    clock = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
    body.insert(2, f"{label} {date_text(rng, when, currency)}  {clock}".strip())
    size = rng.randint(20, 30)
    face = font(rng.choice(FONTS), size)
    width = rng.randint(560, 760)
    height = (len(body) + 2) * int(size * 1.45)
    paper = rng.randint(225, 255)
    image = Image.new("L", (width, height), paper)
    pen = ImageDraw.Draw(image)
    y = size
    for line in body:
        if "  " in line:  # a label and its amount: the amount right-aligned
            left, right = line.rsplit("  ", 1)
            pen.text((24, y), left, font=face, fill=rng.randint(0, 60))
            pen.text((width - 24 - pen.textlength(right, font=face), y), right, font=face, fill=0)
        else:
            pen.text(((width - pen.textlength(line, font=face)) / 2, y), line, font=face, fill=0)
        y += int(size * 1.45)
    angle = rng.uniform(-2.0, 2.0)
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=paper)
    noise = Image.effect_noise(image.size, rng.uniform(8, 24))
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(rng.uniform(0, 0.6)))
    return Drawn(image.convert("RGB"), merchant, when, total, currency)


def receipt_png(seed: int = 1) -> Drawn:
    """One receipt, the same for the same seed."""
    return draw(random.Random(seed))
