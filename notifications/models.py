"""Messages to persons (B-2). A service creates the row in its transaction; after commit a
Celery task renders it in the recipient's language, sends it and stamps sent_at."""

import uuid

from django.db import models

from people.models import Person, User


class NotificationKind(models.TextChoices):
    EMAIL_CHANGED = "email_changed", "E-mail address changed"
    RESULT_CERTIFIED = "result_certified", "A result was certified (to the student, B-2)"
    RESULTS_READY = "results_ready", "Results were marked ready (to the examiner, T-REP-3)"
    CERTIFICATE_READY = "certificate_ready", "A certificate is ready (to the student, B-2)"


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A student or alumnus (person), or a member of staff without a Person record (user).
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    # The address at the time of the event: an e-mail change is told to the old address too.
    to_email = models.EmailField()
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(user__isnull=False),
                name="notification_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id or self.user_id}"

    @property
    def language(self) -> str:
        """The recipient's language: a person's own choice, or the staff member's person's."""
        from django.conf import settings

        person = self.person or (self.user.person if self.user else None)
        return person.language if person else settings.LANGUAGE_CODE
