"""/api/v1/rates: ECB reference rates against a base currency on a date."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from app import clock, money
from app.api.auth import api_login
from app.errors import Invalid
from app.input import parse_date
from app.services.fx import rates

bp = Blueprint("api_rates", __name__, url_prefix="/api/v1")


@bp.get("/rates")
@api_login
def index() -> dict[str, Any]:
    errors: dict[str, str] = {}
    base, day = "EUR", clock.today()  # no org here: the ECB's day, UTC
    try:
        base = money.check_currency(request.args.get("base") or "EUR")
    except money.MoneyError as exc:
        errors["base"] = str(exc)
    if request.args.get("date"):
        try:
            day = parse_date(request.args["date"])
        except ValueError as exc:
            errors["date"] = str(exc)
    if errors:
        raise Invalid(errors)
    try:
        fixed_on, table = rates.table(base, day)
    except rates.NoRate as exc:
        raise Invalid({"base": str(exc)}) from None
    return {
        "base": base,
        "date": day.isoformat(),
        "fix_date": fixed_on.isoformat() if fixed_on else None,
        "source": "ECB euro reference rates, cross rates through EUR",
        "rates": {code: str(value) for code, value in table.items()},
    }
