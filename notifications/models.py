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
    REGISTRATION_CLOSING = (
        "registration_closing",
        "A registration period closes soon (to the student, B-2)",
    )
    SIGNUP_CLOSING = "signup_closing", "An exam sign-up period closes soon (to the student, B-2)"


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


class Reminder(models.Model):
    """That a person has been reminded of one period closing (B-2): a registration period of a
    course instance's study period ("registration:<period id>") or an activity session's sign-up
    ("signup:<session id>"). The unique pair is what makes the reminder go once per period,
    however often the sweep runs. Written by notifications.reminders.send_due."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "subject"], name="one_reminder_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.person_id}"
