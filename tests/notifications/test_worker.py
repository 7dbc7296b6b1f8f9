"""A real Celery worker process against Redis and PostgreSQL (DESIGN.md § Stack): a service
enqueues after commit, the worker sends the e-mail in the person's language and stamps the row.
Needs REDIS_URL and DATABASE_URL (PostgreSQL); CI sets REQUIRE_WORKER=1 so a missing service
fails instead of skipping."""

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Notification
from people.services import update_contact_details
from tests.conftest import celery_app
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _needs(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_WORKER") == "1":
        pytest.fail(f"REQUIRE_WORKER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def worker(tmp_path: Path):
    _needs(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    _needs(connection.vendor == "postgresql", "the worker needs PostgreSQL to share the test data")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    celery_app.control.purge()
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ladokportal",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield tmp_path / "mail"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for(predicate, seconds: float = 40.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_the_notification_in_the_persons_language(worker):
    person = PersonFactory(email="gammal@example.se", language="sv")
    user = UserFactory(person=person)

    update_contact_details(user, person=person, changes={"email": "ny@example.se"})

    notification = Notification.objects.get(person=person)
    assert _wait_for(lambda: Notification.objects.get(pk=notification.pk).sent_at is not None)
    mails = list(worker.glob("*.log"))
    assert len(mails) == 1
    # The file backend writes the message, then a line of dashes.
    message = email.message_from_string(
        mails[0].read_text().split("\n" + "-" * 79)[0], policy=email.policy.default
    )
    assert (message["To"], message["Subject"]) == (
        "gammal@example.se",
        "Din e-postadress i Ladok har ändrats",
    )
    assert "ny@example.se" in message.get_content()
