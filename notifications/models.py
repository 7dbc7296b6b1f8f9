"""Messages to persons (B-2). A service creates the row in its transaction; after commit a
Celery task renders it in the recipient's language, sends it and stamps sent_at."""

import uuid

from django.db import models

from people.models import Person


class NotificationKind(models.TextChoices):
    EMAIL_CHANGED = "email_changed", "E-mail address changed"


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    # The address at the time of the event: an e-mail change is told to the old address too.
    to_email = models.EmailField()
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id}"
