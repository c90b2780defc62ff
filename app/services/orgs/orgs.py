"""Organisations: create, resolve from a URL, settings."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies
from sqlalchemy import text
from sqlalchemy.orm import make_transient_to_detached

from app import clock
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.input import parse_int
from app.models import Membership, Organisation, User
from app.plain_text import one_line_problem
from app.seat import Seat
from app.services.ledger import categories
from app.services.platform import audit
from tenants.context import current, enter_signed_in, set_tenant
from tenants.permissions import Perm
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


def validate_settings(
    name: str, base_currency: str, time_zone: str = clock.DEFAULT_ZONE
) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter a name for the organisation."
    elif len(name.strip()) > 120:
        errors["name"] = "Keep the name under 120 characters."
    elif problem := one_line_problem(name, "name"):
        errors["name"] = problem
    return errors | currency_and_zone_errors(base_currency, time_zone)


def currency_and_zone_errors(base_currency: str, time_zone: str) -> dict[str, str]:
    errors = {}
    if base_currency not in CURRENCIES:
        errors["base_currency"] = "Choose a currency from the list."
    if not clock.is_zone(time_zone):
        errors["time_zone"] = "Choose a time zone from the list (for example Europe/Paris)."
    return errors


def currency_for_language(tag: str | None) -> str:
    """A base currency to suggest for a browser language ("en-GB" → GBP, "de" → EUR, "ja" →
    JPY): the currency of the language's region (or its most likely one), if we support it."""
    try:
        locale = Locale.parse((tag or "").replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return "EUR"
    territory = locale.territory
    if not territory and (likely := get_global("likely_subtags").get(locale.language)):
        territory = Locale.parse(likely).territory
    for code in get_territory_currencies(territory) if territory else []:
        if code in CURRENCIES:
            return code
    return "EUR"


def create_org(
    owner: User,
    name: str,
    base_currency: str = "EUR",
    time_zone: str = clock.DEFAULT_ZONE,
    *,
    commit: bool = True,
) -> Organisation:
    """A new org with `owner` as its first owner."""
    name = (name or "").strip()
    if errors := validate_settings(name, base_currency, time_zone):
        raise Invalid(errors)
    org = Organisation(
        name=name, slug=_unique_slug(name), base_currency=base_currency, time_zone=time_zone
    )
    db.session.add(org)
    db.session.flush()
    set_tenant(db.session, org.id, owner.id)
    membership = Membership(org_id=org.id, user_id=owner.id, role=Role.OWNER.value)
    db.session.add(membership)
    categories.seed_defaults(org.id)
    if owner.default_org_id is None:
        owner.default_org_id = org.id
    audit.record(
        org.id,
        owner.id,
        "org.created",
        org,
        after={"name": name, "base_currency": base_currency, "time_zone": time_zone},
    )
    if commit:
        db.session.commit()
    return org


# The org in a URL and the user's role there, and the tenant set, in one statement (migration
# 0014): `org_id` is NULL unless the user is admitted (a member; owners only while it closes).
ENTRY = "SELECT * FROM outlay_org_entry(:slug, :user)"
_ORG_COLUMNS = tuple(c.key for c in Organisation.__table__.columns)


def enter_org(slug: str, user_id: int) -> tuple[Organisation, str]:
    """Resolve the org in a URL for a user and make it the tenant; 404 for non-members. The
    org (attached to the session, as a page that edits it needs) and the user's role there."""
    row = enter_signed_in(db.session, ENTRY, {"slug": slug, "user": int(user_id)})
    if row.org_id is None:
        if row.closing:
            # Scheduled for deletion: closed to everyone but its owners (who may still cancel).
            raise NotFound("This organisation is being deleted.")
        raise NotFound("No such organisation.")
    fields = {key: getattr(row, "org_id" if key == "id" else key) for key in _ORG_COLUMNS}
    org = Organisation(**fields)
    make_transient_to_detached(org)
    # No SELECT: the row is the org as it stands; one already in this session is kept.
    return db.session.merge(org, load=False), str(row.role)


def enter_as(slug: str, user_id: int, perm: Perm) -> tuple[Organisation, Seat]:
    """`enter_org`, then 403 unless the user's role holds `perm` (what `@requires` runs). The
    org row (for pages that show its name) and the Seat the request acts in."""
    org, role = enter_org(slug, user_id)
    seat = Seat.of(org, user_id, role)
    if not seat.can(perm):
        raise Forbidden("Your role in this organisation does not allow that.")
    return org, seat


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
    return [(org, roles[org.id]) for org in found if listed_for(org.deletion_due_at, roles[org.id])]


def listed_for(deletion_due_at: object, role: str) -> bool:
    """An org being deleted is open to its owners only (they may cancel); the others no longer
    see it in their lists or land in it."""
    return deletion_due_at is None or role == "owner"


def display_names(found: Iterable[Organisation]) -> dict[int, str]:
    """Org names as one user's lists show them: a name the user sees twice carries its address
    (the slug, unique), so two orgs called "Acme" can be told apart in the switcher."""
    found = list(found)
    counts = Counter(o.name.casefold() for o in found)
    return {
        o.id: o.name if counts[o.name.casefold()] == 1 else f"{o.name} ({o.slug})" for o in found
    }


def home_org(user: User) -> Organisation | None:
    orgs = orgs_of(user.id)
    for org, _role in orgs:
        if org.id == user.default_org_id:
            return org
    return orgs[0][0] if orgs else None


def update_settings(
    seat: Seat,
    name: str,
    base_currency: str,
    time_zone: str | None = None,
    fiscal_year_start: Any = None,
) -> None:
    """`time_zone` / `fiscal_year_start` (the month, 1-12, the financial year starts in)
    None keeps the org's."""
    org, actor_id = db.session.get(Organisation, seat.org_id), seat.user_id
    name = (name or "").strip()
    time_zone = org.time_zone if time_zone is None else time_zone
    errors = validate_settings(name, base_currency, time_zone)
    fiscal = org.fiscal_year_start
    if fiscal_year_start not in (None, ""):
        try:
            fiscal = parse_int(fiscal_year_start, 1, 12, "Choose the month from the list.")
        except ValueError as exc:
            errors["fiscal_year_start"] = str(exc)
    if errors:
        raise Invalid(errors)
    if base_currency != org.base_currency and _has_transactions(org.id):
        raise Invalid(
            {
                "base_currency": "The base currency can change only while the organisation has "
                "no transactions: every recorded amount was converted into "
                f"{org.base_currency}."
            }
        )
    before = {
        "name": org.name,
        "base_currency": org.base_currency,
        "time_zone": org.time_zone,
        "fiscal_year_start": org.fiscal_year_start,
    }
    org.name = name
    org.base_currency = base_currency
    org.time_zone = time_zone
    org.fiscal_year_start = fiscal
    after = {
        "name": name,
        "base_currency": base_currency,
        "time_zone": time_zone,
        "fiscal_year_start": fiscal,
    }
    audit.record(org.id, actor_id, "org.updated", org, before=before, after=after)
    db.session.commit()


def _has_transactions(org_id: int) -> bool:
    from app.models import Transaction

    query = db.select(Transaction.id).where(Transaction.org_id == org_id).limit(1)
    return db.session.scalar(query) is not None
