"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from app.models.api_tokens import ApiToken
from app.models.audit import AuditEntry
from app.models.invitations import Invitation
from app.models.ledger import Category, PaymentMethod, SavedView, Transaction
from app.models.recurring import RecurringRule, Reminder
from app.models.users import SecurityRole, User
from tenants.models import Membership, Organisation

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Category",
    "Invitation",
    "Membership",
    "Organisation",
    "PaymentMethod",
    "RecurringRule",
    "Reminder",
    "SavedView",
    "SecurityRole",
    "Transaction",
    "User",
]
