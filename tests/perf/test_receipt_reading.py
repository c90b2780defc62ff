"""(f) Receipt reading: Tesseract plus the reading rules on receipts this benchmark draws.

OUTLAY_BENCH_RECEIPTS receipts (default 200) drawn with Pillow by tests/support/receipt_images.py
(four layouts, eight DejaVu/Liberation faces, 20-30 px, random merchants, six date formats,
subtotal, tax, cash and change beside the total, up to 2 degrees of rotation, noise and blur),
each read one after another exactly as the worker reads one (`ocr.text_of` then
`reading.propose` on the PNG). Reported: the share of totals and of dates read exactly, and the
median seconds per receipt (wall clock, and CPU including Tesseract's, which a busy machine
inflates less). Targets: 90 % of totals, 85 % of dates.
"""

from __future__ import annotations

import os
import random
import time

from app.services.receipts.ocr import text_of
from app.services.receipts.reading import propose
from tests.perf.support import median
from tests.support.receipt_images import draw

TOTALS_TARGET = 0.90
DATES_TARGET = 0.85
SEED = 14


def _cpu() -> float:
    """CPU seconds of this process and its finished children (each Tesseract run)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def test_receipt_reading(report):
    count = int(os.environ.get("OUTLAY_BENCH_RECEIPTS", 200))
    rng = random.Random(SEED)
    totals = dates = 0
    seconds: list[float] = []
    cpu: list[float] = []
    misses: list[str] = []
    for index in range(count):
        drawn = draw(rng)
        data = drawn.png()
        began, cpu_began = time.perf_counter(), _cpu()
        found = propose(text_of(data, "image/png"))
        seconds.append(time.perf_counter() - began)
        cpu.append(_cpu() - cpu_began)
        totals += found.total == drawn.total
        dates += found.date == drawn.date
        if found.total != drawn.total or found.date != drawn.date:
            misses.append(
                f"#{index}: total {drawn.total} read {found.total}, "
                f"date {drawn.date} read {found.date}"
            )
    total_share, date_share = totals / count, dates / count
    report.add(
        "(f) receipt totals read exactly",
        f"{totals}/{count}",
        total_share,
        f">= {TOTALS_TARGET:.0%}",
        total_share >= TOTALS_TARGET,
    )
    report.add(
        "(f) receipt dates read exactly",
        f"{dates}/{count}",
        date_share,
        f">= {DATES_TARGET:.0%}",
        date_share >= DATES_TARGET,
    )
    report.add(
        "(f) receipt reading, median per receipt",
        f"{median(seconds):.2f} s",
        None,
        "",
        None,
        note=f"one after another on {os.cpu_count()} CPUs",
    )
    report.add(
        "(f) receipt reading, median CPU per receipt",
        f"{median(cpu):.2f} s",
        None,
        "",
        None,
        note="this process and Tesseract; steadier than wall time on a shared machine",
    )
    print("\n".join(["receipts missed:", *misses[:20]]))
    assert total_share >= TOTALS_TARGET, misses
    assert date_share >= DATES_TARGET, misses
