"""Module-scoped browser contexts for the page walks: one per (width, colour scheme, person).

Logging in once per context and walking every page in a loop keeps the walks to seconds a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from tests.support.browser import log_in, watch_console
from tests.support.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# `make axe` installs it (npm, pinned); never committed.
AXE = ROOT / ".node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Where a page sticks out past the viewport: the outermost elements whose right edge does.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !out.some((o) => o.contains(el))) out.push(el);
  }
  return out.slice(0, 5).map((el) =>
    `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`
    + ` (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
}"""

# Content hidden inside a box that scrolls sideways (a .table-responsive hiding the Remove
# buttons), and selects too narrow to show their chosen option's text.
CLIPPED_JS = """() => {
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const visible = (el) =>
    el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
        && el.tagName !== 'TEXTAREA' && visible(el)) {
      found.push(`${name(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!visible(select) || select.multiple || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text.trim();
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    const needed = Math.min(canvas.measureText(text).width,
      canvas.measureText('M'.repeat(6)).width);
    if (room + 1 < needed) {
      found.push(`select ${name(select)} shows too little of "${text}" (${Math.round(room)} px)`);
    }
  }
  return found.slice(0, 8);
}"""


class Visitors:
    """Pages kept open across a module's tests, keyed by (viewport, scheme, who)."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self._pages: dict[tuple[int, str, str], Page] = {}

    def page(self, viewport: dict[str, int], scheme: str, user: Any = None) -> Page:
        key = (viewport["width"], scheme, user.email if user is not None else "")
        if key not in self._pages:
            phone = viewport["width"] < 768
            context = self.browser.new_context(
                base_url=self.base_url,
                viewport=viewport,
                is_mobile=phone,
                has_touch=phone,
                color_scheme=scheme,
                locale="en-GB",
                bypass_csp=True,  # axe-core is injected as an inline script
            )
            context.set_default_timeout(10_000)
            page = context.new_page()
            watch_console(page)
            if user is not None:
                log_in(page, user.email, PASSWORD)
            self._pages[key] = page
        return self._pages[key]

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()


@contextmanager
def visitors(browser: Browser, base_url: str) -> Iterator[Visitors]:
    opened = Visitors(browser, base_url)
    try:
        yield opened
    finally:
        opened.close()


def overflow(page: Page) -> list[str]:
    """[] when the page fits its viewport and hides nothing sideways; else what does not."""
    # A phone widens its layout viewport to fit what sticks out, so innerWidth is checked too.
    fits = page.evaluate(
        "w => document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth <= w",
        (page.viewport_size or {}).get("width", 0),
    )
    found = [] if fits else page.evaluate(OVERFLOW_JS) or ["(scrollWidth > innerWidth)"]
    return found + page.evaluate(CLIPPED_JS)


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per rule with examples."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    lines = []
    for violation in result["violations"]:
        nodes = violation["nodes"]
        examples = "; ".join(
            f"{node['target']}: {node.get('failureSummary', '')[:160]}" for node in nodes[:3]
        )
        lines.append(f"{violation['id']} ({len(nodes)}): {examples}")
    return lines
