"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from app.models.audit import AuditEntry
from app.models.invitations import Invitation
from app.models.users import SecurityRole, User
from tenants.models import Membership, Organisation

__all__ = ["AuditEntry", "Invitation", "Membership", "Organisation", "SecurityRole", "User"]
