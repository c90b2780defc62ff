"""User text stays text: one line in names, and escaped for renderers that read markup.

Names (org, category, member, tag, payment method, budget, recurring rule, saved view, reminder,
token) are single lines: a CR or LF in one would start a new line in a plain-text mail body or a
header. Streamlit renders Markdown in `st.markdown`, captions, titles, labels and `st.table`
cells; plotly renders a subset of HTML (`<a>`, `<b>`, `<br>`) in labels, legends, titles and
hover text. So user text goes to Streamlit through `markdown()` and to plotly through `html()`.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata

# Characters that make Markdown anywhere in a line, backslash-escaped (CommonMark allows it for
# any ASCII punctuation); Streamlit's own directives (`:red[...]`, `:material/icon:`, `$math$`)
# are made of them too. Others (`#`, `-`, `+`, `1.`) make Markdown only at a line's start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|<>~$:&])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"}


def one_line_problem(value: str, label: str) -> str | None:
    """Why `value` cannot be a name (None when it can): line breaks and control characters."""
    if any(c in _LINE_BREAKS for c in value):
        return f"Keep the {label} on one line (no line breaks)."
    if any(unicodedata.category(c) == "Cc" for c in value):
        return f"The {label} contains a control character; remove it."
    return None


def markdown(text: object) -> str:
    """Text that Streamlit's Markdown shows exactly as typed (one line)."""
    flat = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", flat)


def html(text: object) -> str:
    """Text that plotly shows exactly as typed: its label HTML is escaped to entities."""
    return _html.escape(" ".join(str(text).splitlines()), quote=False)
