"""The embedded default database (SQLite, `make run` and a plain `make test`) answers ordinary use
without a server error: clicks that arrive together wait for each other instead of failing with
"database is locked" (ladokportal/settings.py: WAL, a busy timeout, immediate transactions).

On SQLite the suite's test database is a file, as the demo's is (tests/conftest.py), so the
locking seen here is SQLite's real file locking. The sign-up test runs on PostgreSQL too: the
promise of no 500 holds on both.
"""

import secrets
import string
import threading
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from exams.models import Signup
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory

CLICKS = 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database is SQLite")
@pytest.mark.django_db
def test_the_embedded_database_is_a_file_with_wal_and_immediate_transactions():
    assert not connection.is_in_memory_db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the answer to the POST itself is what counts


@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_sign_ups_make_one_sign_up_and_no_server_error(live_server, institution):
    """A student clicks Sign up five times at once, over real HTTP to the threaded live server
    (each request in its own thread and database connection, as with runserver): every click is
    answered as the page answers one, and there is one sign-up."""
    person = PersonFactory()
    participation = enrol(person, institution, state=ParticipationState.REGISTERED)
    session = ActivitySessionFactory(
        institution=institution, course_instances=[participation.course_instance]
    )
    browser = Client()
    browser.force_login(UserFactory(person=person))
    # Django accepts a CSRF secret the client chose, as long as cookie and header agree.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}"
    )
    opener = urllib.request.build_opener(_NoRedirects)
    barrier = threading.Barrier(CLICKS)
    statuses: list[int] = []

    def click() -> None:
        request = urllib.request.Request(
            f"{live_server.url}/exams/{session.public_id}/sign-up/",
            data=b"",
            method="POST",
            headers={"Cookie": cookies, "X-CSRFToken": csrf},
        )
        barrier.wait(timeout=10)
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as answer:
            statuses.append(answer.code)

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert [status for status in statuses if status >= 500] == []
    # Each click is answered with the redirect back to the exam page, which shows the notice
    # (one of them) or the refusal "You are signed up" (the others).
    assert statuses == [302] * CLICKS
    assert Signup.objects.filter(person=person, session=session).count() == 1
