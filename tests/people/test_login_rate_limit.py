"""S-AUTH-1, #17 point 3: failed logins are limited per account and per address without locking
the account's owner out (people.throttle).

- Per account: five failures are free, then each attempt waits 2, 4, 8 … seconds (at most
  LOGIN_MAX_DELAY) after the last failure, from any address. Nothing is locked.
- A browser where the account has logged in before skips the wait and the address limit.
- Per address: allauth's "login_failed" counter, high enough for a campus behind one address;
  a flood of login posts gets 429.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from people import throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "The username and/or password you specified are not correct."


def waiting(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong passwords for this account. Wait {seconds} {unit} and try again."


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


class Clock:
    """people.throttle's time, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = 1_000_000.0
        monkeypatch.setattr(throttle.time, "time", lambda: self.now)

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def post_login(client: Client, login: str, password: str):
    return client.post("/accounts/login/", {"login": login, "password": password})


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_shipped_limits(settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "60/5m/ip"
    assert settings.ACCOUNT_RATE_LIMITS["login"] == "60/m/ip"
    assert (settings.LOGIN_FREE_FAILURES, settings.LOGIN_MAX_DELAY) == (5, 60)


def test_fifty_wrong_passwords_from_many_addresses_never_lock_the_owner_out(clock):
    """The acceptance test of #17: 50 guesses for one account from 50 addresses, as fast as
    the limits let them. None gets in; the owner logs in at once from the browser where they
    logged in before, and from a new browser after at most LOGIN_MAX_DELAY seconds."""
    UserFactory(username="stina")
    owner = Client(REMOTE_ADDR="192.0.2.1")
    assert post_login(owner, "stina", "demo").status_code == 302
    owner.post("/accounts/logout/")
    assert not is_logged_in(owner)

    refused_at_once = 0
    for n in range(50):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        response = post_login(guesser, "stina", f"guess{n}")
        assert response.status_code == 200
        assert not is_logged_in(guesser)
        if WRONG not in response.text:
            refused_at_once += 1
            assert "Too many wrong passwords for this account" in response.text
            clock.wait(throttle.wait_seconds("stina"))  # the guesser waits, and tries again
            response = post_login(guesser, "stina", f"guess{n}")
            assert WRONG in response.text
            assert not is_logged_in(guesser)
    assert refused_at_once == 45  # five free failures, then every guess had to wait

    # The owner's own browser: in at once, right after the last guess.
    assert post_login(owner, "stina", "demo").status_code == 302
    assert is_logged_in(owner)

    # A new browser, while the guessing goes on: told to wait, never longer than the longest
    # delay, then in.
    owner.post("/accounts/logout/")
    for n in range(8):
        clock.wait(throttle.wait_seconds("stina"))
        assert WRONG in post_login(Client(REMOTE_ADDR=f"203.0.113.{n}"), "stina", "x").text
    newcomer = Client(REMOTE_ADDR="192.0.2.77")
    wait = throttle.wait_seconds("stina")
    assert 0 < wait <= 60
    assert waiting(wait) in post_login(newcomer, "stina", "demo").text
    assert not is_logged_in(newcomer)
    clock.wait(wait)
    assert post_login(newcomer, "stina", "demo").status_code == 302
    assert is_logged_in(newcomer)


def test_the_delay_grows_and_the_right_password_resets_it(clock):
    UserFactory(username="stina")
    for _ in range(5):
        assert WRONG in post_login(Client(), "stina", "wrong").text
    assert waiting(2) in post_login(Client(), "stina", "demo").text
    for expected in (2, 4, 8, 16, 32, 60, 60):
        assert waiting(expected) in post_login(Client(), "stina", "wrong").text
        clock.wait(expected)
        assert WRONG in post_login(Client(), "stina", "wrong").text
    clock.wait(60)
    assert post_login(Client(), "stina", "demo").status_code == 302
    assert throttle.wait_seconds("stina") == 0
    # Other accounts never waited.
    UserFactory(username="fresh")
    assert post_login(Client(), "fresh", "demo").status_code == 302


def test_the_account_key_ignores_case(clock):
    UserFactory(username="stina")
    for login in ("stina", "STINA", "Stina", "stinA", "sTina"):
        assert WRONG in post_login(Client(), login, "wrong").text
    assert waiting(2) in post_login(Client(), "STINA", "demo").text


def test_a_busy_campus_address_is_not_blocked_by_a_few_mistakes():
    """About ten failures a minute behind one address (a campus NAT) block nobody."""
    UserFactory(username="stina")
    campus = "198.51.100.7"
    for n in range(20):
        assert WRONG in post_login(Client(REMOTE_ADDR=campus), f"student{n}", "wrong").text
    student = Client(REMOTE_ADDR=campus)
    assert post_login(student, "stina", "demo").status_code == 302
    assert is_logged_in(student)


def test_an_address_guessing_across_accounts_is_stopped(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/5m/ip"}
    UserFactory(username="stina")
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(10):
        assert WRONG in post_login(guesser, f"nobody{n}", "wrong").text
    response = post_login(guesser, "stina", "demo")
    assert response.status_code == 200
    assert not is_logged_in(guesser)
    neighbour = Client(REMOTE_ADDR="198.51.100.10")
    assert post_login(neighbour, "stina", "demo").status_code == 302


def test_a_flood_of_login_posts_gets_429(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "20/m/ip"}
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(20):
        assert post_login(client, f"nobody{n}", "wrong").status_code == 200
    response = post_login(client, "nobody", "wrong")
    assert response.status_code == 429
    assert "Too many attempts" in response.text  # the portal's own page, in the layout
    # Looking at the login page is not limited.
    assert client.get("/accounts/login/").status_code == 200


def test_a_forged_known_browser_cookie_is_ignored(clock):
    UserFactory(username="stina")
    for _ in range(6):
        post_login(Client(), "stina", "wrong")
    forged = Client()
    forged.cookies[throttle.COOKIE] = "not-signed"
    assert "Too many wrong passwords" in post_login(forged, "stina", "demo").text
    assert not is_logged_in(forged)
