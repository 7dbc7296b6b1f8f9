"""Rendering and sending one notification, in the recipient's language."""

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ladokportal import links
from notifications.models import Notification


def deliver(notification_id: int) -> bool:
    """Send the notification once. The row is claimed with a conditional UPDATE so that two
    workers handed the same task (acks_late after a crash) cannot both send it."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not claimed:
            return False
        notification = Notification.objects.select_related("person", "user__person").get(
            pk=notification_id
        )
        with translation.override(notification.language):
            context = {
                "person": notification.person,
                "user": notification.user,
                "language": notification.language,
                "site_url": links.site_url(),
                **notification.context,
            }
            subject = render_to_string(
                f"notifications/{notification.kind}_subject.txt", context
            ).strip()
            body = render_to_string(f"notifications/{notification.kind}.txt", context)
        # Sending inside the transaction: if the mail server refuses, the claim rolls back and
        # the retry sends again.
        send_mail(subject, body, None, [notification.to_email])
    return True
