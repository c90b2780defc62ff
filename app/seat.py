"""The Seat: who is acting, in which org, and what the role table lets them do.

One immutable value, built once per request by `@requires` / `@api_requires`, per rerun by the
portal and per job by `tenant_job`; every use case that touches tenant data takes it first
(`transactions.create(seat, data)`). What a role may do and the own-items narrowing come from
`tenants/permissions.py`, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenants.permissions import Perm, can, sees_only_own_items
from tenants.roles import Role


@dataclass(frozen=True, slots=True)
class Seat:
    org_id: int
    org_slug: str
    base_currency: str
    time_zone: str | None  # IANA name; None is read as UTC (app/clock.py)
    user_id: int | None  # None: a system job acting for the org (no person)
    role: Role
    org_name: str = ""  # for what is shown or written with the org's name (reports, files)

    @classmethod
    def of(cls, org: Any, user_id: int | None, role: Role | str) -> Seat:
        """From an org row (or anything with id, slug, base_currency, time_zone, name)."""
        return cls(
            org_id=int(org.id),
            org_slug=str(org.slug),
            base_currency=str(org.base_currency),
            time_zone=str(getattr(org, "time_zone", None) or "UTC"),
            user_id=None if user_id is None else int(user_id),
            role=Role(getattr(role, "value", role)),
            org_name=str(getattr(org, "name", "") or ""),
        )

    @classmethod
    def system(cls, org: Any) -> Seat:
        """A job acting for the org with no person behind it (`workers.context.tenant_job`):
        no user id, and the owner role's reach, so budget alerts, bill reminders, recurring
        postings and mail see every item of the org, never one member's share. Anything it
        records is attributed to no one (or, for a posting, to the rule's author)."""
        return cls.of(org, None, Role.OWNER)

    def can(self, perm: Perm) -> bool:
        return can(self.role, perm)

    @property
    def own_items_only(self) -> bool:
        return sees_only_own_items(self.role)

    @property
    def owner_filter(self) -> int | None:
        """The creator to narrow lists and figures to: this user for a member, else None."""
        return self.user_id if self.own_items_only else None
