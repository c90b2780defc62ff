"""Which permission each org route needs, reviewed by a person and pinned here.

The role matrix proves every route enforces its mark; this table proves the marks are the right
ones (DESIGN.md "Roles"). A new org route fails here until it is added with its permission.
"""

from __future__ import annotations

from tenants.permissions import LOGIN, PUBLIC, Perm, access_of

REPORT_VIEWS = ("profit_and_loss", "budget_vs_actual", "spending_by_member")
ROUTES = {
    "dashboard.show": Perm.READ,
    "analytics.show": Perm.READ,  # the portal (members: their own items, the portal's rule)
    "transactions.index": Perm.READ,
    "transactions.create": Perm.WRITE_TRANSACTIONS,
    "transactions.edit": Perm.WRITE_TRANSACTIONS,
    "transactions.delete": Perm.WRITE_TRANSACTIONS,
    "transactions.bulk": Perm.WRITE_TRANSACTIONS,
    # A saved view is the user's own bookmark of a filter: anyone who can read may keep one.
    "transactions.save_view": Perm.READ,
    "transactions.open_view": Perm.READ,
    "transactions.delete_view": Perm.READ,
    "categories.index": Perm.READ,
    "categories.create": Perm.MANAGE_LEDGER,
    "categories.edit": Perm.MANAGE_LEDGER,
    "categories.remove": Perm.MANAGE_LEDGER,
    "categories.restore": Perm.MANAGE_LEDGER,
    "categories.create_method": Perm.MANAGE_LEDGER,
    "categories.archive_method": Perm.MANAGE_LEDGER,
    "orgs.members": Perm.READ,
    "orgs.leave": Perm.READ,
    "orgs.invite": Perm.MANAGE_MEMBERS,
    "orgs.change_role": Perm.MANAGE_MEMBERS,
    "orgs.remove": Perm.MANAGE_MEMBERS,
    "orgs.revoke": Perm.MANAGE_MEMBERS,
    "orgs.settings": Perm.MANAGE_ORG,
    # Org deletion and ownership transfer (11.24): owners only.
    "orgs.delete": Perm.MANAGE_ORG,
    "orgs.cancel_delete": Perm.MANAGE_ORG,
    "orgs.transfer": Perm.MANAGE_ORG,
    # Approvals (issue 14): the submitter's steps are writing; deciding is approving; the
    # policy is an org setting; the timeline and receipts are read like their transaction.
    "approvals.settings": Perm.MANAGE_ORG,
    "approvals.index": Perm.APPROVE,
    "approvals.bulk": Perm.APPROVE,
    "approvals.submit": Perm.WRITE_TRANSACTIONS,
    "approvals.withdraw": Perm.WRITE_TRANSACTIONS,
    "approvals.approve": Perm.APPROVE,
    "approvals.reject": Perm.APPROVE,
    "approvals.return_": Perm.APPROVE,
    "reimbursements.index": Perm.READ,  # members: what is owed to them
    "reimbursements.mark": Perm.APPROVE,
    "receipts.upload": Perm.WRITE_TRANSACTIONS,
    "receipts.download": Perm.READ,
    "receipts.thumbnail": Perm.READ,
    "receipts.delete": Perm.WRITE_TRANSACTIONS,
    "api_approvals.submit": Perm.WRITE_TRANSACTIONS,
    "api_approvals.withdraw": Perm.WRITE_TRANSACTIONS,
    "api_approvals.approve": Perm.APPROVE,
    "api_approvals.reject": Perm.APPROVE,
    "api_approvals.return_": Perm.APPROVE,
    "api_approvals.history": Perm.READ,
    "api_approvals.approvals": Perm.APPROVE,
    "api_approvals.show_policy": Perm.READ,
    "api_approvals.update_policy": Perm.MANAGE_ORG,
    "api_receipts.index": Perm.READ,
    "api_receipts.create": Perm.WRITE_TRANSACTIONS,
    "api_receipts.show": Perm.READ,
    "api_receipts.delete": Perm.WRITE_TRANSACTIONS,
    # Notifications are the reader's own: anyone who can read the org keeps their own.
    "notifications.index": Perm.READ,
    "notifications.mark_read": Perm.READ,
    "notifications.mark_all_read": Perm.READ,
    "notifications.preferences": Perm.READ,
    "budgets.index": Perm.READ,
    "budgets.history": Perm.READ,
    "budgets.create": Perm.MANAGE_LEDGER,
    "budgets.edit": Perm.MANAGE_LEDGER,
    "budgets.delete": Perm.MANAGE_LEDGER,
    "api_budgets.index": Perm.READ,
    "api_budgets.show": Perm.READ,
    "api_budgets.create": Perm.MANAGE_LEDGER,
    "api_budgets.update": Perm.MANAGE_LEDGER,
    "api_budgets.delete": Perm.MANAGE_LEDGER,
    "recurring.index": Perm.READ,
    "recurring.create": Perm.MANAGE_LEDGER,
    "recurring.edit": Perm.MANAGE_LEDGER,
    "recurring.pause": Perm.MANAGE_LEDGER,
    "recurring.resume": Perm.MANAGE_LEDGER,
    "recurring.skip": Perm.MANAGE_LEDGER,
    "recurring.delete": Perm.MANAGE_LEDGER,
    "recurring.create_reminder": Perm.MANAGE_LEDGER,
    "recurring.paid": Perm.MANAGE_LEDGER,
    "recurring.delete_reminder": Perm.MANAGE_LEDGER,
    "api_recurring.index": Perm.READ,
    "api_recurring.show": Perm.READ,
    "api_recurring.create": Perm.MANAGE_LEDGER,
    "api_recurring.update": Perm.MANAGE_LEDGER,
    "api_recurring.delete": Perm.MANAGE_LEDGER,
    "api_transactions.index": Perm.READ,
    "api_transactions.show": Perm.READ,
    "api_transactions.create": Perm.WRITE_TRANSACTIONS,
    "api_transactions.update": Perm.WRITE_TRANSACTIONS,
    "api_transactions.delete": Perm.WRITE_TRANSACTIONS,
    "api_transactions.bulk": Perm.WRITE_TRANSACTIONS,
    "api_ledger.dashboard": Perm.READ,
    "api_ledger.categories": Perm.READ,
    "api_ledger.category": Perm.READ,
    "api_ledger.payment_methods": Perm.READ,
    "api_ledger.create_category": Perm.MANAGE_LEDGER,
    "api_ledger.update_category": Perm.MANAGE_LEDGER,
    "api_ledger.delete_category": Perm.MANAGE_LEDGER,
    "api_ledger.create_payment_method": Perm.MANAGE_LEDGER,
    # forms (11.23): the read-only page of one transaction; members see only their own.
    "transactions.show": Perm.READ,
    # exports and reports (issue 15): every role exports (members: their own items); the
    # archive is the owners'.
    "exports.transactions": Perm.EXPORT,
    "exports.index": Perm.EXPORT,
    "exports.create": Perm.EXPORT,
    "exports.download": Perm.EXPORT,
    "exports.archive_org": Perm.MANAGE_ORG,
    "api_exports.transactions": Perm.EXPORT,
    "api_exports.show": Perm.EXPORT,
    "api_exports.file": Perm.EXPORT,
    "api_exports.archive_org": Perm.MANAGE_ORG,
    "api_exports.archive_status": Perm.MANAGE_ORG,
    # Importing an archive replaces a new org's defaults and sets its currency: the owners'.
    "archive_import.form": Perm.MANAGE_ORG,
    "archive_import.upload": Perm.MANAGE_ORG,
    "archive_import.status": Perm.MANAGE_ORG,
    "api_exports.archive_import": Perm.MANAGE_ORG,
    "api_exports.archive_import_status": Perm.MANAGE_ORG,
    # The trash: owners and accountants see and restore what was deleted (docs/ledger.md).
    "trash.index": Perm.MANAGE_LEDGER,
    "trash.restore": Perm.MANAGE_LEDGER,
    "api_transactions.trashed": Perm.MANAGE_LEDGER,
    "api_transactions.restore": Perm.MANAGE_LEDGER,
    # The page an approval mail links to decides, so it needs the right to decide.
    "approvals.decide": Perm.APPROVE,
    # Taking a value read from a receipt edits the transaction.
    "receipts.use": Perm.WRITE_TRANSACTIONS,
    "reports.index": Perm.READ,
    **{f"reports.{r}": Perm.READ for r in REPORT_VIEWS},
    **{f"api_reports.{r}": Perm.READ for r in REPORT_VIEWS},
}


def test_every_org_route_needs_the_permission_the_design_gives_it(app):
    marked = {
        endpoint: access
        for endpoint, view in app.view_functions.items()
        if (access := access_of(view)) not in (None, PUBLIC, LOGIN)
    }
    assert marked == ROUTES
