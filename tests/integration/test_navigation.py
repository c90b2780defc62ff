"""Moving around: the org switcher, the front door, error pages and problem documents."""

from tests.support.factories import PASSWORD
from tests.support.web import login


def test_user_in_two_orgs_switches_from_the_navbar(client, make):
    user = make.user()
    first = make.org(user, "Alpha Studio")
    other_owner = make.user()
    second = make.org(other_owner, "Beta Bakery")
    make.member(second, user, "viewer")
    login(client, user.email, PASSWORD)

    page = client.get(f"/o/{first.slug}/").get_data(as_text=True)
    assert 'id="org-switcher"' in page
    assert f'href="/o/{first.slug}/"' in page and f'href="/o/{second.slug}/"' in page
    assert "Beta Bakery" in page

    switched = client.get(f"/o/{second.slug}/")
    assert switched.status_code == 200
    assert "Beta Bakery" in switched.get_data(as_text=True)
    assert "viewer" in switched.get_data(as_text=True)


def test_user_without_org_is_sent_to_create_one(client, make):
    user = make.user()
    login(client, user.email, PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/orgs/new")


def test_anonymous_visitor_sees_the_landing_page(client):
    page = client.get("/").get_data(as_text=True)
    assert "Create an account" in page and "Log in" in page


def test_unknown_org_is_a_404_page_and_a_problem_document_for_json(client, make):
    user = make.user()
    login(client, user.email, PASSWORD)
    html = client.get("/o/no-such-org/")
    assert html.status_code == 404 and "No such organisation" in html.get_data(as_text=True)
    as_json = client.get("/o/no-such-org/", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.mimetype == "application/problem+json"
    assert as_json.get_json()["status"] == 404


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
