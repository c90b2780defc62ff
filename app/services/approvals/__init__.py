"""Expense approvals: the org's policy, the state machine, reimbursements (docs/approvals.md)."""
