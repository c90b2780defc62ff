"""HTML blueprints. Each module has its own init_app; this wires them in order."""

from flask import Flask

from app.web import (
    analytics,
    assets,
    auth,
    budgets,
    categories,
    chips,
    converters,
    dashboard,
    filters,
    headers,
    home,
    input_guard,
    notifications,
    orgs,
    profile,
    recurring,
    transactions,
)


def init_app(app: Flask) -> None:
    converters.init_app(app)
    input_guard.init_app(app)
    auth.init_app(app)
    headers.init_app(app)
    filters.init_app(app)
    chips.init_app(app)
    home.init_app(app)
    assets.init_app(app)
    dashboard.init_app(app)
    transactions.init_app(app)
    categories.init_app(app)
    orgs.init_app(app)
    profile.init_app(app)
    notifications.init_app(app)
    budgets.init_app(app)
    recurring.init_app(app)
    analytics.init_app(app)
