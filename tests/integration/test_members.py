"""Members of an org, end to end: invitations by mail, accepting, roles, removal, the last owner.

Each test is a story between browsers (one test client per person); mails are read from the
SMTP server on loopback.
"""

from __future__ import annotations

import html
import re

from itsdangerous import TimestampSigner

from tests.support.accounts import (
    alerts,
    confirm_email,
    log_in,
    new_email,
    page_text,
    register,
    role_badge,
)
from tests.support.factories import unique
from tests.support.jobs import run_jobs
from tests.support.mailbox import first_link, text_of
from tests.support.web import csrf_from, path_of, post_form

LAST_OWNER = "An organisation needs at least one owner"


def members_page(client, org) -> str:
    response = client.get(f"/o/{org.slug}/members")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def member_row(page: str, email: str) -> str:
    match = re.search(rf'<tr data-member="{re.escape(email)}">(.*?)</tr>', page, re.S)
    assert match, f"{email} is not listed on the members page"
    return match.group(1)


def listed(page: str, email: str) -> bool:
    return f'data-member="{email}"' in page


def shown_role(page: str, email: str) -> str:
    """The role selected in the owner's role picker on the member's row."""
    row = member_row(page, email)
    match = re.search(r'<option (?:selected value="(\w+)"|value="(\w+)" selected)', row)
    assert match, row
    return match.group(1) or match.group(2)


def membership_id(page: str, email: str) -> int:
    match = re.search(r"/members/(\d+)/role", member_row(page, email))
    assert match
    return int(match.group(1))


def switcher(client) -> dict[str, str]:
    """The org switcher in the navbar: org name -> the role shown beside it."""
    page = client.get("/profile").get_data(as_text=True)
    entries = re.findall(
        r'class="dropdown-item[^"]*"\s+href="/o/[^"]+/">(.*?)\s*<small[^>]*>(\w+)</small>', page
    )
    return {html.unescape(name.strip()): role for name, role in entries}


def inviting_owner(client, make):
    """Olga Owner of a new "Harbour Books" org, logged in on `client`; returns the org."""
    owner = make.user(name="Olga Owner")
    org = make.org(owner, f"Harbour Books {unique('')}")
    log_in(client, owner.email)
    return org


def owner_beside(client, make, org_name: str, role: str):
    """An owner of a new org named `org_name`, logged in on `client`, and a second person with
    `role` there; returns (owner, org, person)."""
    owner = make.user()
    org = make.org(owner, f"{org_name} {unique('')}")
    person = make.user()
    make.member(org, person, role)
    log_in(client, owner.email)
    return owner, org, person


def invite(owner, org, email: str, role: str):
    page = members_page(owner, org)
    response = owner.post(
        f"/o/{org.slug}/members/invite",
        data={"email": email, "role": role, "csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    app = owner.application
    run_jobs(app, app.config["REDIS_URL"], "mail")  # the mail job sends the invitation
    return response


def invitation_link(mailbox, email: str, org) -> str:
    mail = mailbox.wait_for(email, f"invited to {org.name}")
    return path_of(first_link(mail, "/invitations/"))


def accept(client, link: str):
    page = client.get(link)
    assert page.status_code == 200, page.status
    return client.post(
        link, data={"csrf_token": csrf_from(page.get_data(as_text=True))}, follow_redirects=True
    )


def owner_post(owner, org, path: str, data: dict | None = None):
    return post_form(
        owner,
        f"/o/{org.slug}{path}",
        data or {},
        token_from=f"/o/{org.slug}/members",
        follow_redirects=True,
    )


def audit_trail(app, org) -> list[tuple[str, int | None, dict | None, dict | None]]:
    from app.extensions import db
    from app.models import AuditEntry
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        rows = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))
        return [(row.action, row.actor_id, row.before, row.after) for row in rows]


# --- Invitations ---------------------------------------------------------------------------


def test_invited_newcomer_signs_up_accepts_and_works_as_accountant(
    client, new_client, mailbox, make, app
):
    org = inviting_owner(client, make)
    email = new_email("acc")

    sent = invite(client, org, email, "accountant")
    assert f"Invitation sent to {email}" in " ".join(alerts(sent))
    pending = page_text(sent)
    assert email in pending and "accountant" in pending

    mail = mailbox.wait_for(email, f"invited to {org.name}")
    body = text_of(mail)
    assert "Olga Owner" in body and "accountant" in body
    link = invitation_link(mailbox, email, org)

    # The invitee opens the link before having an account.
    invitee = new_client()
    landing = invitee.get(link)
    assert landing.status_code == 200
    words = page_text(landing)
    assert f"Join {org.name}" in words and "accountant" in words
    assert f"Create an account with {email}" in words

    register(invitee, email, name="Ada Accountant", organisation="Ada's own books")
    confirm_email(invitee, mailbox, email)
    log_in(invitee, email)

    joined = accept(invitee, link)
    assert joined.status_code == 200
    assert f"Welcome to {org.name}" in " ".join(alerts(joined))
    assert joined.request.path == f"/o/{org.slug}/"
    assert role_badge(joined) == "accountant"
    assert switcher(invitee)[org.name] == "accountant"

    # The owner sees Ada among the members, and the invitation is no longer pending.
    page = members_page(client, org)
    assert shown_role(page, email) == "accountant"
    assert "No pending invitations" in page_text(client.get(f"/o/{org.slug}/members"))

    # An accountant keeps the books but does not run the org.
    assert invitee.get(f"/o/{org.slug}/settings").status_code == 403
    assert invite(invitee, org, new_email("x"), "owner").status_code == 403

    # The link has done its job.
    used = new_client().get(link)
    assert used.status_code == 404 and "already been used" in page_text(used)

    actions = [action for action, *_ in audit_trail(app, org)]
    assert "member.invited" in actions and "member.joined" in actions


def test_an_invitation_cannot_be_taken_by_another_account(client, new_client, mailbox, make):
    owner = make.user()
    org = make.org(owner, f"Guarded Ltd {unique('')}")
    log_in(client, owner.email)
    intended = make.user()
    invite(client, org, intended.email, "accountant")
    link = invitation_link(mailbox, intended.email, org)

    mallory = make.user()
    own = make.org(mallory, f"Mallory's {unique('')}")
    thief = new_client()
    log_in(thief, mallory.email)
    refused = accept(thief, link)
    assert f"This invitation is for {intended.email}" in " ".join(alerts(refused))
    assert thief.get(f"/o/{org.slug}/").status_code == 404
    assert set(switcher(thief)) == {own.name}
    assert not listed(members_page(client, org), mallory.email)

    # The invitation still works for the person it was meant for.
    rightful = new_client()
    log_in(rightful, intended.email)
    assert role_badge(accept(rightful, link)) == "accountant"


def test_tampered_and_expired_invitation_links_are_not_found(
    client, new_client, mailbox, make, monkeypatch
):
    owner = make.user()
    org = make.org(owner, f"Timely Co {unique('')}")
    log_in(client, owner.email)
    email = new_email("late")
    invite(client, org, email, "viewer")
    link = invitation_link(mailbox, email, org)

    visitor = new_client()
    token = link.rsplit("/", 1)[1]
    tampered = link[: -len(token)] + token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    bad = visitor.get(tampered)
    assert bad.status_code == 404 and "not valid" in page_text(bad)

    # Six days later the link still opens; eight days later (the limit is seven) it does not.
    real_timestamp = TimestampSigner.get_timestamp
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: real_timestamp(self) + 6 * 86400
    )
    assert visitor.get(link).status_code == 200
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: real_timestamp(self) + 8 * 86400
    )
    expired = visitor.get(link)
    assert expired.status_code == 404
    assert "This invitation has expired" in page_text(expired)

    invitee = make.user(email=email)
    log_in(visitor, invitee.email)
    late = post_form(visitor, link, {}, token_from="/profile")
    assert late.status_code == 404
    assert visitor.get(f"/o/{org.slug}/").status_code == 404


# --- Roles and removal ---------------------------------------------------------------------


def test_owner_demotes_an_accountant_to_viewer_then_removes_them(client, new_client, make, app):
    owner = make.user()
    org = make.org(owner, f"Role Play {unique('')}")
    person = make.user()
    own = make.org(person, f"Person's own {unique('')}")
    make.member(org, person, "accountant")
    log_in(client, owner.email)
    member = new_client()
    log_in(member, person.email)
    assert role_badge(member.get(f"/o/{org.slug}/")) == "accountant"

    page = members_page(client, org)
    assert shown_role(page, person.email) == "accountant"
    their_id = membership_id(page, person.email)

    changed = owner_post(client, org, f"/members/{their_id}/role", {"role": "viewer"})
    assert "Role changed" in " ".join(alerts(changed))
    assert shown_role(changed.get_data(as_text=True), person.email) == "viewer"

    assert role_badge(member.get(f"/o/{org.slug}/")) == "viewer"
    assert switcher(member)[org.name] == "viewer"
    assert member.get(f"/o/{org.slug}/settings").status_code == 403
    # A viewer reads the members list but sees no owner controls.
    assert not re.search(r"/members/\d+/(role|remove)", members_page(member, org))

    removed = owner_post(client, org, f"/members/{their_id}/remove")
    assert "Member removed" in " ".join(alerts(removed))
    assert not listed(removed.get_data(as_text=True), person.email)

    gone = member.get(f"/o/{org.slug}/")
    assert gone.status_code == 404
    assert member.get(f"/o/{org.slug}/members").status_code == 404
    assert set(switcher(member)) == {own.name}

    trail = audit_trail(app, org)
    role_change = [entry for entry in trail if entry[0] == "member.role_changed"]
    assert role_change and role_change[-1][1] == owner.id
    assert role_change[-1][2]["role"] == "accountant" and role_change[-1][3]["role"] == "viewer"
    removal = [entry for entry in trail if entry[0] == "member.removed"]
    assert removal and removal[-1][1] == owner.id
    assert removal[-1][2]["user_id"] == person.id


def test_a_member_cannot_change_roles_or_remove_anyone(client, new_client, make):
    owner, org, person = owner_beside(client, make, "Flat Co", "member")
    owner_id = membership_id(members_page(client, org), owner.email)

    log_in(member := new_client(), person.email)
    token = csrf_from(members_page(member, org))
    promote = member.post(
        f"/o/{org.slug}/members/{owner_id}/role", data={"role": "viewer", "csrf_token": token}
    )
    assert promote.status_code == 403
    kick = member.post(f"/o/{org.slug}/members/{owner_id}/remove", data={"csrf_token": token})
    assert kick.status_code == 403
    assert shown_role(members_page(client, org), owner.email) == "owner"


def test_the_last_owner_cannot_demote_themselves_or_leave(client, make, app):
    owner = make.user()
    org = make.org(owner, f"Solo Trader {unique('')}")
    log_in(client, owner.email)
    own_id = membership_id(members_page(client, org), owner.email)

    demote = owner_post(client, org, f"/members/{own_id}/role", {"role": "accountant"})
    assert LAST_OWNER in " ".join(alerts(demote))
    assert shown_role(demote.get_data(as_text=True), owner.email) == "owner"

    leave = owner_post(client, org, "/leave")
    assert LAST_OWNER in " ".join(alerts(leave))

    remove_self = owner_post(client, org, f"/members/{own_id}/remove")
    assert LAST_OWNER in " ".join(alerts(remove_self))

    dashboard = client.get(f"/o/{org.slug}/")
    assert dashboard.status_code == 200 and role_badge(dashboard) == "owner"
    assert client.get(f"/o/{org.slug}/settings").status_code == 200
    actions = [action for action, *_ in audit_trail(app, org)]
    assert not {"member.role_changed", "member.left", "member.removed"} & set(actions)


def test_with_a_second_owner_the_first_may_leave(client, new_client, make):
    owner, org, partner = owner_beside(client, make, "Two Hands", "owner")

    left = owner_post(client, org, "/leave")
    assert f"You have left {org.name}" in " ".join(alerts(left))
    assert client.get(f"/o/{org.slug}/").status_code == 404

    log_in(other := new_client(), partner.email)
    page = members_page(other, org)
    assert not listed(page, owner.email) and shown_role(page, partner.email) == "owner"
    # Now the partner is the last owner and is held to the same rule.
    assert LAST_OWNER in " ".join(alerts(owner_post(other, org, "/leave")))
