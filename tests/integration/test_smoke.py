from tests.support.factories import PASSWORD
from tests.support.web import login


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "csrf_token" in response.get_data(as_text=True)


def test_owner_logs_in_and_sees_dashboard(client, make):
    user = make.user()
    org = make.org(user, "Acme Ltd")
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert "Acme Ltd" in home.get_data(as_text=True)
    assert f"/o/{org.slug}/" in home.request.path
