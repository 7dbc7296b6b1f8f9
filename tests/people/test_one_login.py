"""#17 point 3: one login for everything. The Django admin is off unless configured and, when
on, logs in through the portal's login (its limits, its session lifetime); a login made any other
way is impossible: the admin's login page only sends to the portal's."""

import importlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import clear_url_caches

import ladokportal.urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_on(settings):
    settings.ADMIN_ENABLED = True
    importlib.reload(ladokportal.urls)
    clear_url_caches()
    yield
    settings.ADMIN_ENABLED = False
    importlib.reload(ladokportal.urls)
    clear_url_caches()


def test_the_admin_is_off_unless_configured():
    assert settings.ADMIN_ENABLED is False
    assert Client().get("/admin/login/").status_code == 404
    assert Client().post("/admin/login/", {"username": "a", "password": "b"}).status_code == 404


def test_the_admin_logs_in_through_the_portal_login(admin_on, staff_user):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    # A password posted to the admin's own form is never checked there.
    response = client.post("/admin/login/", {"username": staff_user.username, "password": "demo"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    chain = client.get("/admin/", follow=True).redirect_chain
    assert chain[-1][0] == "/accounts/login/?next=/admin/"


def test_an_admin_account_gets_the_staff_lifetime(admin_on):
    """A superuser without a staff role logs in through the portal's login, with the staff
    session's lifetime, not a student's."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    response = client.post("/accounts/login/", {"login": "root", "password": "demo"})
    assert response.status_code == 302
    assert client.session["session_max_age"] == settings.STAFF_SESSION_SECONDS
