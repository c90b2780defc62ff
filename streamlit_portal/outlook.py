"""What the cash-flow page says about the projected balance: one sentence that never
contradicts the figure above it (a balance already below zero is said to be, today)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def balance_label(own_only: bool) -> str:
    """A member's balance counts only what they recorded, and the label says so."""
    return "Balance of your entries today" if own_only else "Balance today"


def outlook(balance: Decimal, path: list[tuple[date, Decimal]], days: int) -> tuple[str, str]:
    """(level, sentence): level is "error", "warning" or "success" (Streamlit's boxes)."""
    if balance < 0:
        back = next((day for day, amount in path if amount >= 0), None)
        if back is None:
            return "error", f"The balance is below zero today and stays below for {days} days."
        return (
            "error",
            f"The balance is below zero today; it would be back above on {back:%A %d %B %Y}.",
        )
    negative = next((day for day, amount in path if amount < 0), None)
    if negative is not None:
        return "warning", f"The balance would go below zero on {negative:%A %d %B %Y}."
    return "success", f"The balance stays above zero for the next {days} days."
