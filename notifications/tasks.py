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
