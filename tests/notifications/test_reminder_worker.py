"""The reminders as they run in production (B-2, #21 point 4): beat sends the sweep on its
schedule (settings.CELERY_BEAT_SCHEDULE, here every two seconds), a real worker runs it and
delivers the e-mails. However many times the schedule fires, each person due gets one e-mail
and nobody who already acted gets any. Skipped without Redis and PostgreSQL (tests/worker.py)."""

import email
import email.policy
import time

import pytest

from notifications.models import Reminder
from tests.notifications.reminder_world import build
from tests.worker import start_workers_fixture, wait_for  # noqa: F401 - the `start_workers` fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EVERY = 2


def recipients(mail_dir) -> list[str]:
    return [
        email.message_from_string(text, policy=email.policy.default)["To"]
        for path in sorted(mail_dir.glob("*.log"))
        for text in path.read_text().split("\n" + "-" * 79 + "\n")
        if text.strip()
    ]


def test_beat_reminds_each_person_due_once(start_workers, institution, other_institution, tmp_path):
    world = build(institution, other_institution)

    worker = start_workers(
        {"REMINDERS_EVERY_SECONDS": str(EVERY)},
        args=("--beat", f"--schedule={tmp_path / 'beat-schedule'}"),
        loglevel="INFO",
    )

    assert wait_for(lambda: len(recipients(worker.mail_dir)) >= 3, seconds=90), worker.log()
    # Let the schedule fire a few more times: nothing more may come.
    ticks = worker.log().count("notifications.send_reminders")
    assert wait_for(
        lambda: worker.log().count("notifications.send_reminders") >= ticks + 3, seconds=60
    ), worker.log()
    time.sleep(1)
    assert sorted(recipients(worker.mail_dir)) == sorted(world.due)
    assert Reminder.objects.count() == 3
