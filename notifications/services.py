"""Creating notifications. The row is written in the caller's transaction; the e-mail is sent
by the worker only after that transaction commits, so a rolled-back action sends nothing."""

from django.db import transaction

from notifications.models import Notification
from people.models import Person, User


def notify(person: Person, kind: str, *, to_email: str = "", context: dict | None = None) -> None:
    address = to_email or person.email
    if not address:
        return
    notification = Notification.objects.create(
        person=person, kind=kind, to_email=address, context=context or {}
    )
    from notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification_id=notification.pk))


def notify_user(user: User, kind: str, *, context: dict | None = None) -> None:
    """A message to a member of staff (who may have no Person record) at their login's address."""
    address = user.email or (user.person.email if user.person_id else "")
    if not address:
        return
    notification = Notification.objects.create(
        user=user, kind=kind, to_email=address, context=context or {}
    )
    from notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification_id=notification.pk))


def notify_many(rows: list[tuple[Person, dict]], kind: str) -> int:
    """One message each to many persons in two queries whatever their number (certifying 500
    results at once); persons without an address are skipped. One task delivers them all."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(person=person, kind=kind, to_email=person.email, context=context)
            for person, context in rows
            if person.email
        ]
    )
    ids = [n.pk for n in notifications]
    if ids:
        from notifications.tasks import deliver_notifications

        transaction.on_commit(lambda: deliver_notifications.delay(notification_ids=ids))
    return len(ids)
