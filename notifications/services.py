"""Creating notifications. The row is written in the caller's transaction; the e-mail is sent
by the worker only after that transaction commits, so a rolled-back action sends nothing."""

from django.db import transaction

from notifications.models import Notification
from people.models import Person


def notify(person: Person, kind: str, *, to_email: str = "", context: dict | None = None) -> None:
    address = to_email or person.email
    if not address:
        return
    notification = Notification.objects.create(
        person=person, kind=kind, to_email=address, context=context or {}
    )
    from notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification_id=notification.pk))
