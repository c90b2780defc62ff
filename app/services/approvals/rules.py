"""The approval rules as plain functions of a policy and a transaction: whether an expense
needs approval, how many approvers it needs, whether its receipt is missing, and who may take
its next decision. The state machine (`flow.py`) raises what these return."""

from __future__ import annotations

from app import money
from app.extensions import db
from app.models import Category, Membership, Receipt, Transaction
from app.seat import Seat
from app.services.approvals.policy import Policy, approval_limit
from tenants.permissions import Perm
from tenants.roles import Role

# Editing one of these on an approved expense sends it back where the policy wants approval.
KEY_FIELDS = ("amount", "currency", "date", "category_id", "kind")


def creator_role(org_id: int, user_id: int | None) -> Role | None:
    """The recording person's role now; None for a system posting (no person)."""
    if user_id is None:
        return None
    role = db.session.scalar(
        db.select(Membership.role).where(Membership.org_id == org_id, Membership.user_id == user_id)
    )
    return Role(role) if role else Role.MEMBER  # a former member: the strictest reading


def needs_approval(policy: Policy, txn: Transaction) -> bool:
    """Income never does; an owner's own expense never does (owners top the org); otherwise a
    member's expense (if the policy says so), one at or above the approval amount, or one in
    a category that always needs approval (a child category follows its parent)."""
    if txn.kind != "expense":
        return False
    role = creator_role(txn.org_id, txn.created_by)
    if role is None or role is Role.OWNER:
        return False
    if role is Role.MEMBER and policy.members_need_approval:
        return True
    if policy.approval_amount is not None and txn.base_amount >= policy.approval_amount:
        return True
    if policy.always_category_ids:
        category = db.session.get(Category, (txn.org_id, txn.category_id))
        ids = {txn.category_id, category.parent_id if category else None}
        return bool(ids & set(policy.always_category_ids))
    return False


def steps(policy: Policy, txn: Transaction) -> int:
    """Two approvers, in order, above the second amount; one otherwise."""
    if policy.two_step_amount is not None and txn.base_amount > policy.two_step_amount:
        return 2
    return 1


def receipt_count(org_id: int, txn_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Receipt)
        .where(Receipt.org_id == org_id, Receipt.transaction_id == txn_id)
    )


def receipt_missing(policy: Policy, txn: Transaction) -> bool:
    """A receipt is due at or above the receipt amount (0: always; None: never)."""
    if policy.receipt_amount is None or txn.kind != "expense":
        return False
    return txn.base_amount >= policy.receipt_amount and receipt_count(txn.org_id, txn.id) == 0


def refusal(seat: Seat, policy: Policy, txn: Transaction) -> tuple[str, str] | None:
    """Why `seat` may not take the next decision on a submitted `txn`: (kind, sentence) with
    kind "forbidden" or "conflict", or None when they may."""
    if not seat.can(Perm.APPROVE):
        return "forbidden", "Your role does not decide approvals."
    if txn.approval_state != "submitted":
        return "conflict", f"This expense is not awaiting approval (it is {txn.approval_state})."
    if txn.created_by is not None and txn.created_by == seat.user_id:
        return "forbidden", "Nobody approves their own expense; another approver decides it."
    if steps(policy, txn) == 2:
        if txn.first_approved_by is None:
            return None  # the first of two steps: an accountant or an owner
        if seat.user_id == txn.first_approved_by:
            return "forbidden", "You gave the first approval; a different owner gives the second."
        if seat.role is not Role.OWNER:
            return "forbidden", "The second approval of this expense is an owner's."
        return None
    limit = approval_limit(seat, policy)
    if limit is not None and txn.base_amount > limit:
        shown = money.display(limit, seat.base_currency)
        return "forbidden", f"This is above your approval limit ({shown}); an owner decides it."
    return None
