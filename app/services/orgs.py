"""Organisations: create, resolve from a URL, settings."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Membership, Organisation, User
from app.plain_text import one_line_problem
from app.services import audit, categories
from tenants.context import current, set_tenant
from tenants.roles import Role

# Base currencies: the ECB's reference currencies (and the dollar pegs of app/services/rates),
# so every transaction can be converted into the base.
CURRENCIES = (
    "EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "RON", "ISK", "TRY", "BRL", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD",
    "PHP", "SGD", "THB", "ZAR", "AED", "BHD", "JOD", "OMR", "QAR", "SAR",
)  # fmt: skip


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:50].strip("-") or "org"


def _unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.scalars(db.select(Organisation.slug).where(Organisation.slug.like(f"{base}%")))
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def validate_settings(name: str, base_currency: str) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter a name for the organisation."
    elif len(name.strip()) > 120:
        errors["name"] = "Keep the name under 120 characters."
    elif problem := one_line_problem(name, "name"):
        errors["name"] = problem
    if base_currency not in CURRENCIES:
        errors["base_currency"] = "Choose a currency from the list."
    return errors


def create_org(
    owner: User, name: str, base_currency: str = "EUR", *, commit: bool = True
) -> Organisation:
    """A new org with `owner` as its first owner."""
    name = (name or "").strip()
    if errors := validate_settings(name, base_currency):
        raise Invalid(errors)
    org = Organisation(name=name, slug=_unique_slug(name), base_currency=base_currency)
    db.session.add(org)
    db.session.flush()
    set_tenant(db.session, org.id, owner.id)
    membership = Membership(org_id=org.id, user_id=owner.id, role=Role.OWNER.value)
    db.session.add(membership)
    categories.seed_defaults(org.id)
    if owner.default_org_id is None:
        owner.default_org_id = org.id
    audit.record(
        org.id, owner.id, "org.created", org, after={"name": name, "base_currency": base_currency}
    )
    if commit:
        db.session.commit()
    return org


def enter_org(slug: str, user_id: int) -> tuple[Organisation, Membership]:
    """Resolve the org in a URL for a user and make it the tenant; 404 for non-members."""
    org = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound("No such organisation.")
    set_tenant(db.session, org.id, user_id)
    membership = db.session.scalar(
        db.select(Membership).where(Membership.org_id == org.id, Membership.user_id == user_id)
    )
    if membership is None:
        set_tenant(db.session, None, user_id)
        raise NotFound("No such organisation.")
    if org.deletion_due_at is not None and membership.role != Role.OWNER.value:
        # Scheduled for deletion: closed to everyone but its owners (who may still cancel).
        set_tenant(db.session, None, user_id)
        raise NotFound("This organisation is being deleted.")
    return org, membership


def orgs_of(user_id: int) -> list[tuple[Organisation, str]]:
    """Every org the user belongs to, with the role; for the switcher and the home page.

    Memberships are RLS-scoped to one org, so this goes through a SECURITY DEFINER function
    that returns only the rows of the user named in `app.user_id`.
    """
    tenant = current(db.session)
    if tenant.user_id != user_id:
        set_tenant(db.session, tenant.org_id, user_id)
    rows = db.session.execute(text("SELECT org_id, role FROM outlay_my_memberships()")).all()
    roles = {r.org_id: r.role for r in rows}
    if not roles:
        return []
    found = db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(roles)).order_by(Organisation.name)
    )
    return [(org, roles[org.id]) for org in found]


def home_org(user: User) -> Organisation | None:
    orgs = orgs_of(user.id)
    for org, _role in orgs:
        if org.id == user.default_org_id:
            return org
    return orgs[0][0] if orgs else None


def update_settings(org: Organisation, actor_id: int, name: str, base_currency: str) -> None:
    name = (name or "").strip()
    if errors := validate_settings(name, base_currency):
        raise Invalid(errors)
    if base_currency != org.base_currency and _has_transactions(org.id):
        raise Invalid(
            {
                "base_currency": "The base currency can change only while the organisation has "
                "no transactions: every recorded amount was converted into "
                f"{org.base_currency}."
            }
        )
    before = {"name": org.name, "base_currency": org.base_currency}
    org.name = name
    org.base_currency = base_currency
    audit.record(
        org.id,
        actor_id,
        "org.updated",
        org,
        before=before,
        after={"name": name, "base_currency": base_currency},
    )
    db.session.commit()


def _has_transactions(org_id: int) -> bool:
    from app.models import Transaction

    query = db.select(Transaction.id).where(Transaction.org_id == org_id).limit(1)
    return db.session.scalar(query) is not None
