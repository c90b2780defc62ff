"""Expense approvals through the API, as an org's people meet them: the policy, every
transition, every refusal (a problem document that changes nothing), two-step approval, and
edits of an approved expense that send it back (docs/approvals.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from tests.support.api import Api, fields_of, token_for


@dataclass
class Team:
    org: Any
    owner: Api
    owner2: Api
    accountant: Api
    member: Api
    viewer: Api
    ids: dict[str, int]


@pytest.fixture
def team(app, make, client) -> Team:
    people = {name: make.user() for name in ("owner", "owner2", "accountant", "member", "viewer")}
    org = make.org(people["owner"])
    for name, role in (
        ("owner2", "owner"),
        ("accountant", "accountant"),
        ("member", "member"),
        ("viewer", "viewer"),
    ):
        make.member(org, people[name], role)
    apis = {n: Api(client, token_for(app, u), org.slug) for n, u in people.items()}
    category = make.category(org, "expense")
    return Team(org, **apis, ids={"category": category, **{n: u.id for n, u in people.items()}})


def record(api: Api, team: Team, amount: str, **more: Any) -> dict[str, Any]:
    body = {"kind": "expense", "amount": amount, "category_id": team.ids["category"]}
    body |= {"date": date.today().isoformat(), **more}
    response = api.post("/transactions", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def state(api: Api, txn_id: int) -> str:
    return api.get(f"/transactions/{txn_id}").get_json()["approval_state"]


def set_policy(team: Team, **values: Any) -> dict[str, Any]:
    response = team.owner.client.put(
        team.owner.base + "/approval-policy", json=values, headers=team.owner.headers
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refused(team: Team, api: Api, txn_id: int, action: str, status: int, body=None) -> dict:
    """Refused with a problem document, and the transaction and its history are unchanged."""
    before = team.owner.get(f"/transactions/{txn_id}").get_json()
    steps = team.owner.get(f"/transactions/{txn_id}/history").get_json()["items"]
    response = api.post(f"/transactions/{txn_id}/{action}", json=body)
    assert response.status_code == status, response.get_json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.get_json()
    assert problem["status"] == status and problem["detail"]
    assert team.owner.get(f"/transactions/{txn_id}").get_json() == before
    assert team.owner.get(f"/transactions/{txn_id}/history").get_json()["items"] == steps
    return problem


def test_a_new_org_has_sensible_defaults_and_only_owners_change_them(team):
    policy = team.viewer.get("/approval-policy").get_json()
    assert policy["members_need_approval"] is True
    assert policy["receipt_amount"] == "75.0000"
    assert policy["accountant_limit"] == "1000.0000"
    assert policy["approval_amount"] is None and policy["two_step_amount"] is None
    assert policy["digest_days"] == 3
    response = team.accountant.client.put(
        team.accountant.base + "/approval-policy",
        json={"accountant_limit": "5000"},
        headers=team.accountant.headers,
    )
    assert response.status_code == 403
    bad = team.owner.client.put(
        team.owner.base + "/approval-policy",
        json={"accountant_limit": "lots", "always_category_ids": [999999], "colour": "red"},
        headers=team.owner.headers,
    )
    assert bad.status_code == 422
    assert set(fields_of(bad)) == {"accountant_limit", "always_category_ids", "colour"}
    assert team.owner.get("/approval-policy").get_json() == policy
    changed = set_policy(team, receipt_amount="0", accountant_limit="")
    assert changed["receipt_amount"] == "0.0000" and changed["accountant_limit"] is None


def test_who_needs_approval_follows_the_policy(team):
    set_policy(team, receipt_amount="")
    assert record(team.member, team, "10")["approval_state"] == "submitted"
    assert record(team.accountant, team, "10")["approval_state"] == "approved"
    assert record(team.owner, team, "9999")["approval_state"] == "approved"
    income = team.member.post(
        "/transactions",
        json={
            "kind": "income",
            "amount": "10",
            "category_id": _income(team),
            "date": date.today().isoformat(),
        },
    )
    assert income.get_json()["approval_state"] == "approved"
    set_policy(team, approval_amount="500", always_category_ids=[team.ids["category"]])
    assert record(team.accountant, team, "10")["approval_state"] == "submitted"  # the category
    set_policy(team, always_category_ids=[])
    assert record(team.accountant, team, "499.99")["approval_state"] == "approved"
    assert record(team.accountant, team, "500")["approval_state"] == "submitted"
    assert record(team.owner, team, "500")["approval_state"] == "approved"  # owners' own
    set_policy(team, members_need_approval=False)
    assert record(team.member, team, "10")["approval_state"] == "approved"


def _income(team: Team) -> int:
    items = team.owner.get("/categories").get_json()["items"]
    return next(c["id"] for c in items if c["kind"] == "income")


def test_every_illegal_transition_is_refused_and_changes_nothing(team):
    set_policy(team, receipt_amount="", accountant_limit="100", approval_amount="100")
    txn = record(team.member, team, "40")["id"]
    # A viewer or a member decides nothing.
    for api in (team.viewer, team.member):
        for action, body in (("approve", None), ("reject", {"reason": "no"})):
            refused(team, api, txn, action, 403, body)
    # Rejecting without a reason; returning without a comment.
    problem = refused(team, team.accountant, txn, "reject", 422, {"reason": "  "})
    assert "reason" in {e["field"] for e in problem["errors"]}
    refused(team, team.accountant, txn, "return", 422, {})
    # Approving a draft.
    assert team.member.post(f"/transactions/{txn}/withdraw").get_json()["approval_state"] == (
        "draft"
    )
    problem = refused(team, team.accountant, txn, "approve", 409)
    assert "not awaiting approval" in problem["detail"]
    # Only the submitter submits or withdraws.
    refused(team, team.accountant, txn, "submit", 403)
    assert team.member.post(f"/transactions/{txn}/submit").get_json()["approval_state"] == (
        "submitted"
    )
    refused(team, team.member, txn, "submit", 409)
    # Approving one's own.
    own = record(team.accountant, team, "150")["id"]
    assert state(team.owner, own) == "submitted"
    problem = refused(team, team.accountant, own, "approve", 403)
    assert "own expense" in problem["detail"]
    # An accountant above their limit; an owner above it may.
    big = record(team.member, team, "150")["id"]
    problem = refused(team, team.accountant, big, "approve", 403)
    assert "limit" in problem["detail"]
    assert team.owner.post(f"/transactions/{big}/approve").get_json()["approval_state"] == (
        "approved"
    )
    # Deciding what is decided already.
    refused(team, team.owner2, big, "reject", 409, {"reason": "late"})


def test_submitting_without_a_required_receipt_is_refused(team):
    set_policy(team, receipt_amount="50")
    small = record(team.member, team, "49.99")
    assert small["approval_state"] == "submitted"
    due = record(team.member, team, "50")
    assert due["approval_state"] == "draft"  # saved, waiting for its receipt
    problem = refused(team, team.member, due["id"], "submit", 422)
    assert "receipt" in fields_of_problem(problem)["receipts"]


def fields_of_problem(problem: dict) -> dict[str, str]:
    return {e["field"]: e["message"] for e in problem.get("errors", [])}


def test_two_approvers_in_order_above_the_second_amount(team):
    set_policy(team, receipt_amount="", two_step_amount="500", accountant_limit="100")
    txn = record(team.member, team, "600")["id"]
    # The accountant takes the first step (the owner's step covers their limit).
    first = team.accountant.post(f"/transactions/{txn}/approve")
    assert first.status_code == 200 and first.get_json()["approval_state"] == "submitted"
    problem = refused(team, team.accountant, txn, "approve", 403)
    assert "first approval" in problem["detail"]
    assert team.accountant.get("/approvals").get_json()["items"] == []
    assert [i["id"] for i in team.owner.get("/approvals").get_json()["items"]] == [txn]
    second = team.owner.post(f"/transactions/{txn}/approve")
    assert second.get_json()["approval_state"] == "approved"

    # Two owners: the first cannot give the second approval too.
    other = record(team.member, team, "700")["id"]
    assert team.owner.post(f"/transactions/{other}/approve").get_json()["approval_state"] == (
        "submitted"
    )
    refused(team, team.owner, other, "approve", 403)
    assert team.owner2.post(f"/transactions/{other}/approve").get_json()["approval_state"] == (
        "approved"
    )
    # At the second amount itself (not above), one approval does.
    edge = record(team.member, team, "500")["id"]
    assert team.owner.post(f"/transactions/{edge}/approve").get_json()["approval_state"] == (
        "approved"
    )
    actions = [e["action"] for e in team.owner.get(f"/transactions/{txn}/history").json["items"]]
    assert actions == [
        "approval.submitted",
        "transaction.created",
        "approval.first_approved",
        "approval.approved",
    ]


def test_editing_an_approved_expense_sends_it_back(team):
    set_policy(team, receipt_amount="")
    txn = record(team.member, team, "30")["id"]
    team.accountant.post(f"/transactions/{txn}/approve")
    same = team.member.patch(f"/transactions/{txn}", json={"description": "Taxi to client"})
    assert same.get_json()["approval_state"] == "approved"  # no figure changed
    for change in ({"amount": "31"}, {"date": "2026-01-02"}):
        edited = team.member.patch(f"/transactions/{txn}", json=change)
        assert edited.get_json()["approval_state"] == "submitted", change
        team.accountant.post(f"/transactions/{txn}/approve")
    # An owner's own approved expense stays approved: it needs no approval.
    mine = record(team.owner, team, "30")["id"]
    assert team.owner.patch(f"/transactions/{mine}", json={"amount": "40"}).json[
        "approval_state"
    ] == ("approved")


def test_returned_then_fixed_then_approved_is_one_timeline(team):
    set_policy(team, receipt_amount="")
    txn = record(team.member, team, "20", description="Lunch")["id"]
    back = team.accountant.post(f"/transactions/{txn}/return", json={"comment": "Which client?"})
    assert back.get_json()["approval_state"] == "returned"
    fixed = team.member.patch(f"/transactions/{txn}", json={"description": "Lunch with Acme"})
    assert fixed.get_json()["approval_state"] == "submitted"
    rejected = team.accountant.post(f"/transactions/{txn}/reject", json={"reason": "Not ours"})
    assert rejected.get_json()["approval_state"] == "rejected"
    items = team.member.get(f"/transactions/{txn}/history").get_json()["items"]
    steps = [(i["action"], i["state"], i["comment"]) for i in items if "approval." in i["action"]]
    assert steps == [
        ("approval.submitted", "submitted", None),
        ("approval.returned", "returned", "Which client?"),
        ("approval.resubmitted", "submitted", None),
        ("approval.rejected", "rejected", "Not ours"),
    ]
    assert {i["actor_id"] for i in items} == {team.ids["member"], team.ids["accountant"]}
