"""HTML blueprints. Each module has its own init_app; this wires them in order."""

from flask import Flask

from app.services.orgs import orgs as org_service
from app.web import (
    analytics,
    approvals,
    assets,
    auth,
    budgets,
    categories,
    chips,
    converters,
    dashboard,
    exports,
    filters,
    headers,
    health,
    home,
    input_guard,
    logout,
    notifications,
    orgs,
    profile,
    receipts,
    recurring,
    reimbursements,
    reports,
    transactions,
    trash,
)
from tenants.permissions import use_org_entry


def init_app(app: Flask) -> None:
    use_org_entry(org_service.enter_as)  # @requires enters the URL's org through the service
    converters.init_app(app)
    input_guard.init_app(app)
    auth.init_app(app)
    logout.init_app(app)
    headers.init_app(app)
    filters.init_app(app)
    chips.init_app(app)
    home.init_app(app)
    health.init_app(app)
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
    approvals.init_app(app)
    receipts.init_app(app)
    reimbursements.init_app(app)
    exports.init_app(app)
    reports.init_app(app)
    trash.init_app(app)
