"""User text is shown as text everywhere (markup in names is not a link), names are one line,
and only roles with Perm.EXPORT can take data out of the portal."""

from __future__ import annotations

import html as std_html
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from app.errors import Invalid
from app.plain_text import html, markdown
from app.services.accounts import portal_tokens
from streamlit_portal import runtime
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_portal" / "app.py"
PHISH = "[phish](https://evil.example/login)"
ANCHOR = '<a href="https://evil.example/">Rent</a>'
MARKUP = [
    PHISH,
    ANCHOR,
    "- item",
    "1. first",
    "# Heading",
    "> quote",
    "+ x",
    "**bold** _it_ `code` :red[red] $x$ <b>b</b> ![i](https://e.x/i.png)",
]


def rendered(source: str) -> str:
    """HTML that a CommonMark renderer (Streamlit's is one) makes of Markdown source."""
    return MarkdownIt("commonmark").render(source)


@pytest.mark.parametrize("text", MARKUP)
def test_escaped_markdown_renders_as_the_text_itself(text):
    out = rendered(markdown(text))
    assert "<a " not in out and "<strong>" not in out and "<em>" not in out, out
    assert "<img" not in out and "<code>" not in out
    visible = re.sub(r"<[^>]+>", "", out).strip()

    assert std_html.unescape(visible) == text


def test_escaped_html_is_plotlys_plain_text():
    assert html(ANCHOR) == '&lt;a href="https://evil.example/"&gt;Rent&lt;/a&gt;'


@pytest.fixture
def portal(app):
    runtime.use_app(app)

    def open_as(user, org, role: str) -> AppTest:
        at = AppTest.from_file(str(ENTRY), default_timeout=30)
        at.query_params["token"] = portal_tokens.mint(
            app.config["SECRET_KEY"], user.id, org.id, org.slug, role
        )
        return at.run()

    return open_as


@pytest.fixture
def marked_org(app, make):
    """An org named like a link, a category named like an anchor, a member with a link name,
    a tagged expense recorded by that member."""
    owner = make.user(name=PHISH)
    org = make.org(owner, PHISH)
    member = make.user(name=f"{PHISH} member")
    make.member(org, member, "member")
    category = make.category(org, "expense", ANCHOR)
    today = datetime.now(UTC).date().isoformat()
    make.transaction(org, owner, category_id=category, amount="40.00", date=today, tags="[x](y)")
    make.transaction(
        org, member, "member", category_id=category, amount="2.00", date=today, tags="[t](u)"
    )
    return owner, member, org


def _markdown_sources(at: AppTest) -> list[str]:
    return [
        str(e.value)
        for e in (*at.sidebar.markdown, *at.markdown, *at.caption, *at.title, *at.subheader)
    ]


def _plotly_labels(at: AppTest) -> list[str]:
    labels: list[str] = []
    for element in at.get("plotly_chart"):
        for trace in json.loads(element.proto.spec)["data"]:
            labels += [str(x) for x in trace.get("labels", [])] + [str(trace.get("name", ""))]
    return labels


def test_markup_in_names_is_text_in_the_portal(app, portal, marked_org):
    owner, member, org = marked_org
    at = portal(owner, org, "owner")
    assert not at.exception
    sources = _markdown_sources(at)
    assert any(markdown(PHISH) in s for s in sources), sources  # the org name is there...
    for source in sources:  # ...and nothing renders as a link or an image
        out = rendered(source)
        assert "<a " not in out and "<img" not in out, source
    at.switch_page("views/spending.py").run()
    assert not at.exception
    labels = _plotly_labels(at)
    assert html(ANCHOR) in labels and not any("<a" in label for label in labels), labels
    # The member's table of their own entries holds the text as typed (a data frame's cells
    # are never read as Markdown).
    at = portal(member, org, "member")
    at.switch_page("views/explorer.py").run()
    assert not at.exception
    cells = [str(x) for t in at.dataframe for x in t.value.to_numpy().ravel()]
    assert "[t](u)" in cells, cells
    for page in ("views/spending.py", "views/budgets.py"):
        at.switch_page(page).run()
        assert not at.exception, page


def test_markup_in_names_is_text_in_the_web_app(app, client, marked_org):
    owner, _member, org = marked_org
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert ANCHOR not in page and PHISH in page.replace("&#34;", '"')
    charts = json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S).group(1))
    assert html(ANCHOR) in charts["spending"]["labels"]
    assert ANCHOR not in charts["spending"]["labels"]
    members = client.get(f"/o/{org.slug}/members").get_data(as_text=True)
    assert 'evil.example/login">' not in members and '<a href="https://evil' not in members


def test_explorer_csv_is_offered_to_every_role_a_member_only_their_own(app, make, portal):
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="5.00")
    people = {role: make.user() for role in ("viewer", "member", "accountant")}
    for role, user in people.items():
        make.member(org, user, role)
    people["owner"] = owner
    for role, user in people.items():
        make.transaction(org, user, role if role != "viewer" else "owner", amount="1.00")
        at = portal(user, org, role)
        at.switch_page("views/explorer.py").run()
        assert not at.exception, role
        downloads = at.get("download_button")
        # Every role may export (issue 15); a member's rows are only their own.
        assert len(downloads) == 1, role
        assert "Download CSV" in str(downloads[0].proto)
        if role == "member":
            assert len(at.dataframe[0].value) == 1, "a member's export holds their own items"


@pytest.mark.parametrize("bad", ["Rent\nBcc: x@evil.example", "Rent\r\nX", "a\u2028b", "a\x07b"])
def test_names_with_line_breaks_are_refused_with_the_field_named(
    app, make, client, new_client, bad
):
    from app.extensions import db
    from app.models import Organisation
    from app.services.budgets import budgets
    from app.services.ledger import categories, saved_views
    from app.services.ledger import transactions as txns
    from app.services.orgs import orgs
    from tenants.context import tenant_context

    owner = make.user()
    org = make.org(owner)
    with app.app_context(), tenant_context(org.id, owner.id):
        seat = make.seat(org, owner)
        attempts = {
            "org": lambda: orgs.update_settings(seat, bad, "EUR"),
            "category": lambda: categories.create_category(seat, {"name": bad, "kind": "expense"}),
            "payment method": lambda: categories.create_payment_method(seat, bad),
            "budget": lambda: budgets.create(
                seat, {"name": bad, "amount": "10", "period": "monthly"}
            ),
            "saved view": lambda: saved_views.save(seat, bad, ""),
        }
        for what, attempt in attempts.items():
            with pytest.raises(Invalid) as raised:
                attempt()
            assert "name" in raised.value.errors, what
            db.session.rollback()
        for field in ("description", "tags"):
            with pytest.raises(Invalid) as raised:
                txns.create(
                    seat,
                    {
                        "kind": "expense",
                        "amount": "1",
                        "date": "2026-01-02",
                        "category_id": make.category(org),
                        field: bad,
                    },
                )
            assert field in raised.value.errors
            db.session.rollback()
    # Through the web: the settings page says which field and changes nothing.
    login(client, owner.email, PASSWORD)
    response = post_form(
        client,
        f"/o/{org.slug}/settings",
        {"name": bad, "base_currency": "EUR"},
        token_from=f"/o/{org.slug}/settings",
    )
    assert response.status_code == 422
    assert "one line" in response.get_data(as_text=True) or "control character" in (
        response.get_data(as_text=True)
    )
    response = post_form(
        client, "/profile", {"name": bad, "default_org": "0", "locale": "en"}, "/profile"
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Organisation, org.id).name == org.name
    # Signing up: both names are refused on the form, and no account is made.
    from tests.support.accounts import new_email, register

    email = new_email("oneline")
    signup = register(new_client(), email, name=bad, organisation=bad)
    assert signup.status_code in (200, 400, 422)
    said = signup.get_data(as_text=True)
    assert "on one line" in said or "control character" in said, said[-2000:]
    with app.app_context():
        from app.models import User

        assert db.session.scalar(db.select(User).where(User.email == email)) is None


def _strings(value) -> list[str]:
    """Every string anywhere in a decoded JSON value (a chart's whole spec)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


PORTAL_PAGES = sorted(p.name for p in (ENTRY.parent / "views").glob("*.py"))


@pytest.mark.parametrize("role", ["owner", "member"])
def test_every_portal_page_shows_markup_in_names_as_text(app, make, portal, marked_org, role):
    """The class: every page of the portal, every Markdown element and every string of every
    plotly chart (labels, legend names, axes, hover text), for an owner and a member."""
    owner, member, org = marked_org
    make.transaction(org, owner, amount="5.00", tags=ANCHOR, description=ANCHOR)
    at = portal(owner if role == "owner" else member, org, role)
    assert PORTAL_PAGES, "no portal pages found"
    charts = 0
    for page in PORTAL_PAGES:
        at.switch_page(f"views/{page}").run()
        assert not at.exception, page
        for source in _markdown_sources(at):
            out = rendered(source)
            assert "<a " not in out and "<img" not in out, (page, source)
        for element in at.get("plotly_chart"):
            charts += 1
            for text_ in _strings(json.loads(element.proto.spec)):
                assert "<a " not in text_ and "<b>" not in text_, (page, text_)
    if role == "owner":  # (a member's own expense awaits approval: no chart counts it yet)
        assert charts >= 3  # the walk saw charts, so the check above checked something
