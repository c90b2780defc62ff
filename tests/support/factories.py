"""Arrange data through the services, as the app would: users, orgs, members, categories,
transactions, and the Seat a test acts in.

Tests get a `Factory` from the `make` fixture (tests/conftest.py); modules that arrange data
outside a test function build one with `Factory(app)`.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from app.seat import Seat

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}-{uuid.uuid4().hex[:6]}"


def seat_of(org: Any, user: Any, role: str = "owner") -> Seat:
    """The Seat `user` acts in as `role` in `org` (an org row, detached or not); for calling
    services directly inside `tenant_context(org.id, user.id)`."""
    return Seat.of(org, None if user is None else user.id, role)


class Factory:
    """Arrange data through the services, as the app would."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(
        self,
        email: str | None = None,
        password: str = PASSWORD,
        name: str = "",
        confirmed: bool = True,
    ):
        from flask_security import hash_password

        from app.extensions import db, security

        with self.app.app_context():
            user = security.datastore.create_user(
                email=email or f"{unique('user')}@example.com",
                name=name,
                password=hash_password(password),
                confirmed_at=datetime.now(UTC) if confirmed else None,
            )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    def org(self, owner, name: str | None = None):
        from app.extensions import db
        from app.models import User
        from app.services.orgs.orgs import create_org

        with self.app.app_context():
            org = create_org(db.session.get(User, owner.id), name or unique("Org "))
            db.session.refresh(org)
            db.session.expunge(org)
            return org

    def member(self, org, user, role: str):
        from app.extensions import db
        from app.models import Membership
        from tenants.context import tenant_context

        with self.app.app_context(), tenant_context(org.id):
            membership = Membership(org_id=org.id, user_id=user.id, role=role)
            db.session.add(membership)
            db.session.commit()
            return membership.id

    def seat(self, org, user, role: str = "owner") -> Seat:
        """The Seat of `user` as `role` in `org` (see `seat_of`)."""
        return seat_of(org, user, role)

    def category(self, org, kind: str = "expense", name: str | None = None) -> int:
        """The id of a category of `org`: a default one of `kind`, or a new one named `name`."""
        from app.extensions import db
        from app.models import Category
        from app.services.ledger import categories
        from tenants.context import tenant_context

        with self.app.app_context(), tenant_context(org.id):
            if name is None:
                return db.session.scalar(
                    db.select(Category.id)
                    .where(Category.org_id == org.id, Category.kind == kind)
                    .order_by(Category.id)
                    .limit(1)
                )
            seat = Seat.system(org)
            return categories.create_category(seat, {"name": name, "kind": kind}).id

    def expense_fields(self, org, **fields: Any) -> dict[str, Any]:
        """What a person sends for a valid expense in `org` (an API body or a form's fields),
        `fields` being what the test is about: 10.00 on 2024-03-15 (a day with ECB fixes) in
        a default expense category, unless `fields` say otherwise."""
        return {
            "kind": "expense",
            "date": "2024-03-15",
            "amount": "10.00",
            "category_id": self.category(org, "expense"),
            **fields,
        }

    def transaction(self, org, user, role: str = "owner", **fields: Any) -> int:
        """Record a transaction through the service, as `user` in `role`; returns its id."""
        from app.services.ledger import transactions
        from tenants.context import tenant_context

        kind = fields.setdefault("kind", "expense")
        fields.setdefault("date", datetime.now(UTC).date().isoformat())
        fields.setdefault("amount", "10.00")
        if "category_id" not in fields:
            fields["category_id"] = self.category(org, kind)
        with self.app.app_context(), tenant_context(org.id, user.id):
            return transactions.create(seat_of(org, user, role), fields).id

    def org_with_figures(self, name: str, spent_in: tuple[str, str]) -> tuple[Any, Any]:
        """(owner, org) of a new org `name` with today's figures, as the dashboard and the
        portal sum them: 700.00 and 123.45 spent in new expense categories named `spent_in`,
        2,500.00 earned (so 823.45 out, 1,676.55 left)."""
        owner = self.user()
        org = self.org(owner, name)
        for amount, name in zip(("700.00", "123.45"), spent_in, strict=True):
            category = self.category(org, "expense", name)
            self.transaction(org, owner, kind="expense", amount=amount, category_id=category)
        self.transaction(org, owner, kind="income", amount="2500.00")
        return owner, org

    def approve_all(self, org, approver) -> None:
        """Approve every expense awaiting approval in `org`, as `approver` (an owner): what a
        member records waits for approval and counts in no figure until then."""
        from app.extensions import db
        from app.models import Transaction
        from app.services.approvals import flow
        from tenants.context import tenant_context

        with self.app.test_request_context(), tenant_context(org.id, approver.id):
            seat = seat_of(org, approver, "owner")
            waiting = db.session.scalars(
                db.select(Transaction.id).where(Transaction.approval_state == "submitted")
            ).all()
            for txn_id in waiting:
                flow.approve(seat, txn_id)
