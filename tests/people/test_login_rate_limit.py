"""S-AUTH-1: local username/password logins are rate limited (allauth's counters in the cache).

settings.ACCOUNT_RATE_LIMITS: "login_failed" allows 5 failures per account in 5 minutes and 10 per
address a minute; "login" allows 30 login posts per address a minute. A refused failed-login
attempt is answered on the login form itself (200, the form error); a flood of posts gets 429.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG = "The username and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _fresh_counters():
    # The counters live in the cache; each test starts from none (tests/conftest.py also clears
    # it, but these tests are about nothing else).
    cache.clear()


def post_login(client: Client, login: str, password: str):
    return client.post("/accounts/login/", {"login": login, "password": password})


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_shipped_limits(settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    assert settings.ACCOUNT_RATE_LIMITS["login"] == "30/m/ip"


def test_after_five_failures_the_account_is_refused_even_with_the_right_password():
    UserFactory(username="stina")
    client = Client()
    for _ in range(5):
        response = post_login(client, "stina", "wrong")
        assert response.status_code == 200
        assert WRONG in response.text
        assert TOO_MANY not in response.text

    for login in ("stina", "STINA"):  # the account's key ignores case
        response = post_login(client, login, "demo")
        assert response.status_code == 200
        assert "account/login.html" in [t.name for t in response.templates]
        assert response.context["form"].non_field_errors() == [TOO_MANY]
        assert TOO_MANY in response.text
        assert not is_logged_in(client)

    # Another address changes nothing: the limit is the account's.
    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    assert TOO_MANY in post_login(elsewhere, "stina", "demo").text
    assert not is_logged_in(elsewhere)

    # Another account from the same address still logs in.
    UserFactory(username="fresh")
    response = post_login(client, "fresh", "demo")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client)


def test_a_successful_login_does_not_reset_the_failure_count():
    """Slipping in one good login must not let a guesser start over."""
    UserFactory(username="stina")
    for _ in range(4):
        assert WRONG in post_login(Client(), "stina", "wrong").text
    assert post_login(Client(), "stina", "demo").status_code == 302
    assert WRONG in post_login(Client(), "stina", "wrong").text

    client = Client()
    assert TOO_MANY in post_login(client, "stina", "demo").text
    assert not is_logged_in(client)


def test_ten_failures_from_one_address_refuse_every_account_there():
    UserFactory(username="stina")
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(10):
        assert WRONG in post_login(guesser, f"nobody{n}", "wrong").text

    response = post_login(guesser, "stina", "demo")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert not is_logged_in(guesser)

    neighbour = Client(REMOTE_ADDR="198.51.100.8")
    assert post_login(neighbour, "stina", "demo").status_code == 302
    assert is_logged_in(neighbour)


def test_a_flood_of_login_posts_gets_429():
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(30):
        assert post_login(client, f"nobody{n}", "wrong").status_code == 200
    response = post_login(client, "nobody", "wrong")
    assert response.status_code == 429
    assert "Too many attempts" in response.text  # the portal's own page, in the layout
    # Looking at the login page is not limited.
    assert client.get("/accounts/login/").status_code == 200
