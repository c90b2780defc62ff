"""The demo org that `outlay up` creates on first start."""

from __future__ import annotations

from flask_security import hash_password

from app import clock
from app.extensions import db, security
from app.models import User
from app.services.orgs.orgs import create_org

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-outlay-2026"  # noqa: S105  (a published local demo login, not a secret)
DEMO_ORG = "Demo Company"


def ensure_demo() -> tuple[str, str]:
    """Create the demo owner and org once; return the login."""
    user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = security.datastore.create_user(
            email=DEMO_EMAIL,
            name="Demo Owner",
            password=hash_password(DEMO_PASSWORD),
            confirmed_at=clock.now(),
        )
        db.session.flush()
        create_org(user, DEMO_ORG, "EUR")  # commits the user with the org
    return DEMO_EMAIL, DEMO_PASSWORD
