"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from app.models.api_tokens import ApiToken
from app.models.approvals import ApprovalPolicy, Receipt, Reimbursement
from app.models.audit import AuditEntry
from app.models.budgets import Budget, BudgetAlert
from app.models.exports import ArchiveImport, Export
from app.models.invitations import Invitation
from app.models.ledger import Category, PaymentMethod, SavedView, Transaction
from app.models.notifications import Notification, NotificationPreference
from app.models.rates import FxRate
from app.models.recurring import RecurringRule, Reminder
from app.models.sessions import UserSession
from app.models.users import SecurityRole, User
from tenants.models import Membership, Organisation

__all__ = [
    "ApiToken",
    "ApprovalPolicy",
    "ArchiveImport",
    "AuditEntry",
    "Budget",
    "BudgetAlert",
    "Category",
    "Export",
    "FxRate",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "PaymentMethod",
    "Receipt",
    "RecurringRule",
    "Reimbursement",
    "Reminder",
    "SavedView",
    "SecurityRole",
    "Transaction",
    "User",
    "UserSession",
]
