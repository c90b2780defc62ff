"""The role table of DESIGN.md, as tenants/permissions.py encodes it."""

import pytest

from tenants.permissions import PERMISSIONS, Perm, can
from tenants.roles import Role

# DESIGN.md "Roles", row by row: (permission, owner, accountant, member, viewer)
DESIGN = [
    (Perm.READ, True, True, True, True),
    (Perm.WRITE_TRANSACTIONS, True, True, True, False),
    (Perm.MANAGE_LEDGER, True, True, False, False),
    (Perm.EXPORT, True, True, True, True),  # members: their own items (issue 15)
    (Perm.APPROVE, True, True, False, False),
    (Perm.MANAGE_MEMBERS, True, False, False, False),
    (Perm.MANAGE_ORG, True, False, False, False),
]


@pytest.mark.parametrize(("perm", "owner", "accountant", "member", "viewer"), DESIGN)
def test_table_matches_design(perm, owner, accountant, member, viewer):
    got = [can(role, perm) for role in (Role.OWNER, Role.ACCOUNTANT, Role.MEMBER, Role.VIEWER)]
    assert got == [owner, accountant, member, viewer]


def test_every_permission_is_in_the_design_table():
    assert {row[0] for row in DESIGN} == set(Perm)
    assert set(PERMISSIONS) == set(Role)
