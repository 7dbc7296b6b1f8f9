"""A real Celery worker process against Redis and PostgreSQL (DESIGN.md § Stack): a service
enqueues after commit, the worker sends the e-mail in the person's language and stamps the row.
The worker is tests.worker's (skipped without REDIS_URL and PostgreSQL, failed instead under
REQUIRE_WORKER=1)."""

import email
import email.policy

import pytest

from notifications.models import Notification
from people.services import update_contact_details
from tests.factories import PersonFactory, UserFactory
from tests.worker import wait_for, worker_fixture  # noqa: F401 - the `worker` fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_notification_in_the_persons_language(worker):
    person = PersonFactory(email="gammal@example.se", language="sv")
    user = UserFactory(person=person)

    update_contact_details(user, person=person, changes={"email": "ny@example.se"})

    notification = Notification.objects.get(person=person)
    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).sent_at is not None)
    mails = list(worker.mail_dir.glob("*.log"))
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
