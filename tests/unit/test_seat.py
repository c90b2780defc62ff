"""The Seat is an immutable value built from an org row, and its narrowing is the role table's
own-items rule (`tenants.permissions.sees_only_own_items`), nothing else."""

from __future__ import annotations

import dataclasses

import pytest

from app.models import Organisation
from app.seat import Seat
from tenants.permissions import PERMISSIONS, Perm, sees_only_own_items
from tenants.roles import Role


def org_row() -> Organisation:
    return Organisation(
        id=7, name="Acme", slug="acme", base_currency="CHF", time_zone="Europe/Zurich"
    )


def test_a_seat_is_built_from_an_org_row_and_cannot_change():
    seat = Seat.of(org_row(), 42, "accountant")
    assert (seat.org_id, seat.org_slug, seat.base_currency, seat.time_zone) == (
        7,
        "acme",
        "CHF",
        "Europe/Zurich",
    )
    assert (seat.user_id, seat.role) == (42, Role.ACCOUNTANT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        seat.role = Role.OWNER  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        seat.user_id = 1  # type: ignore[misc]
    assert Seat.of(org_row(), 42, Role.ACCOUNTANT) == seat  # a value: equal when the same


def test_an_org_without_a_zone_gets_utc():
    row = org_row()
    row.time_zone = None
    assert Seat.of(row, 1, "owner").time_zone == "UTC"


@pytest.mark.parametrize("role", list(Role))
def test_the_narrowing_and_the_permissions_come_from_the_role_table(role):
    seat = Seat.of(org_row(), 42, role)
    assert seat.own_items_only is sees_only_own_items(role)
    assert seat.owner_filter == (42 if sees_only_own_items(role) else None)
    for perm in Perm:
        assert seat.can(perm) is (perm in PERMISSIONS[role])


def test_only_a_member_is_narrowed():
    narrowed = {role for role in Role if Seat.of(org_row(), 1, role).own_items_only}
    assert narrowed == {Role.MEMBER}


def test_a_jobs_system_seat_has_no_person_and_sees_the_whole_org():
    seat = Seat.system(org_row())
    assert seat.user_id is None
    assert seat.role is Role.OWNER
    assert seat.owner_filter is None
    assert seat.org_id == 7
