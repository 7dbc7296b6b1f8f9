"""Delivery of notifications by the Celery worker."""

from celery import shared_task

from notifications import delivery


@shared_task(
    name="notifications.deliver",
    autoretry_for=(OSError,),  # SMTP trouble is transient; anything else is a bug to see
    retry_backoff=True,
    max_retries=5,
)
def deliver_notification(*, notification_id: int) -> None:
    delivery.deliver(notification_id)


@shared_task(
    name="notifications.deliver_many",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_notifications(*, notification_ids: list[int]) -> None:
    """Each is claimed on its own, so a retry after a failure sends only what was not sent."""
    for notification_id in notification_ids:
        delivery.deliver(notification_id)


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    """Beat's sweep (B-2): the reminders due today, at every university that has them on."""
    from notifications import reminders

    return reminders.send_due()
