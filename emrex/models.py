"""Foreign merits through EMREX (S-EMREX-1, S-EMREX-2): the contact points a student may fetch
results from, each import session, and the accepted results stored as other merits (andra
meriter) with the original signed document.

Written only by emrex.services (start_import, receive); a refused document stores nothing but
the session's end.
"""

import uuid

from django.db import models
from django.utils.translation import pgettext_lazy

from institutions.models import InstitutionOwned
from people.models import Person


class ContactPoint(models.Model):
    """A foreign EMREX contact point (NCP): where the student is sent, and the certificate its
    documents must be signed with. National, configured by the operators."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    url = models.URLField()
    certificate = models.TextField(help_text="PEM")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name


class SessionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("emrex session", "Waiting for the contact point")
    ACCEPTED = "accepted", pgettext_lazy("emrex session", "Results imported")
    REFUSED = "refused", pgettext_lazy("emrex session", "Refused")
    CANCELLED = "cancelled", pgettext_lazy("emrex session", "Cancelled")


class EmrexSession(InstitutionOwned):
    """One trip to a contact point: the session id goes out and must come back once."""

    session_id = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emrex_sessions")
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=SessionState.choices, default=SessionState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_point_id}: {self.state}"


class ForeignMerit(InstitutionOwned):
    """A result fetched from a foreign university, kept with the signed document it came in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="foreign_merits")
    session = models.ForeignKey(EmrexSession, on_delete=models.PROTECT, related_name="merits")
    issuer = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True)
    title = models.CharField(max_length=300)
    credits = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    scheme = models.CharField(max_length=20, blank=True)
    grade = models.CharField(max_length=50, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    document = models.TextField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "title", "id"]

    def __str__(self) -> str:
        return self.title
