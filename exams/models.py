"""Activity sessions (aktivitetstillfällen, e.g. written exams), students' sign-ups and the
anonymisation codes of anonymous exams (S-EXAM-1..4, T-ANON-1, T-ADM-3, T-DEAD-1).

Services: exams.services (sign_up, cancel_sign_up, add_participant, remove_participant,
list_codes). Nothing else writes a Signup. A person's calendar link (CalendarFeed, B-9) is
written by exams.calendar.renew_feed.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstance, Module
from institutions.models import InstitutionOwned
from ladokportal import clock
from ladokportal.i18n import BilingualName
from people.models import Person, User


class SessionKind(models.TextChoices):
    WRITTEN_EXAM = "written", pgettext_lazy("activity session kind", "Written exam")
    RETAKE = "retake", pgettext_lazy("activity session kind", "Re-take")
    ORAL = "oral", pgettext_lazy("activity session kind", "Oral exam")
    LAB = "lab", pgettext_lazy("activity session kind", "Laboratory session")
    HOME = "home", pgettext_lazy("activity session kind", "Take-home exam")
    OTHER = "other", pgettext_lazy("activity session kind", "Other activity")


class ActivitySession(BilingualName, InstitutionOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    # A short label students and teachers recognise ("TEN1"), also the prefix of its codes.
    label = models.CharField(_("label"), max_length=12)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    town = models.CharField(_("town"), max_length=100, blank=True)
    place = models.CharField(_("place or room"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    course_instances = models.ManyToManyField(
        CourseInstance, related_name="activity_sessions", verbose_name=_("course instances")
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="activity_sessions", verbose_name=_("modules")
    )
    signup_opens = models.DateField(_("sign-up opens"), null=True, blank=True)
    signup_closes = models.DateField(_("sign-up closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    students_may_cancel = models.BooleanField(_("students may cancel their sign-up"), default=True)
    anonymous = models.BooleanField(_("anonymous exam"), default=False)
    retake = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retake_of",
        verbose_name=_("re-take session"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(signup_opens__isnull=True)
                | models.Q(signup_closes__isnull=True)
                | models.Q(signup_closes__gte=models.F("signup_opens")),
                name="session_signup_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="session_capacity_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(retake=models.F("pk")), name="session_not_its_own_retake"
            ),
        ]

    @property
    def reporting_deadline(self):
        """T-DEAD-1, from the exam's local date and the linked re-take's, if any; the rule is
        results.deadlines (the results are what is due)."""
        from results import deadlines

        retake_date = clock.date_of(self.retake.starts_at) if self.retake else None
        return deadlines.reporting_deadline(clock.date_of(self.starts_at), retake_date)


def first_session_start(course_instance_ref: str = "course_instance") -> models.Subquery:
    """When the first activity session of a course instance starts (early dropout, S-WD-2,
    counts only before it). For annotating querysets of participations."""
    return models.Subquery(
        ActivitySession.objects.with_scopes_disabled()
        .filter(course_instances=models.OuterRef(course_instance_ref))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


class Signup(InstitutionOwned):
    """A student's place on an activity session: by their own sign-up or added by staff.
    Cancelled sign-ups are kept (cancelled_at) for the record."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(ActivitySession, on_delete=models.PROTECT, related_name="signups")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exam_signups")
    # Null, not "", when there is no code: the uniqueness within the session ignores nulls.
    anonymisation_code = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    signed_up_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_signup_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "anonymisation_code"], name="anonymisation_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.session_id}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class CodeListing(InstitutionOwned):
    """A study administrator looked at the code key of an anonymous session before results were
    certified (T-ANON-1 "in special cases"): who, when, why. Never edited or deleted."""

    session = models.ForeignKey(ActivitySession, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_id} listed codes of {self.session_id}"


def new_feed_token() -> str:
    """256 random bits, URL-safe: the only credential a calendar app has."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret link to the iCalendar feed of their signed-up sessions (B-9). Calendar
    apps fetch it without a login, so the token is the credential; it covers every university
    the person is signed up at, so it is not institution-scoped. Renewing replaces the token and
    the old link stops working. Service: exams.calendar.renew_feed."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.person_id}"
