"""Reads of the Foreign merits page and the staff overview (S-EMREX-1, S-EMREX-2)."""

from django.db.models import Count

from emrex.models import ContactPoint, EmrexSession, ForeignMerit
from institutions.models import Institution
from people.models import Person


def merits(person: Person) -> list[ForeignMerit]:
    """The student's foreign merits at the current university (one query)."""
    return list(ForeignMerit.objects.filter(person=person).select_related("session__contact_point"))


def contact_points() -> list[ContactPoint]:
    return list(ContactPoint.objects.filter(active=True))


def latest_session(person: Person) -> EmrexSession | None:
    return (
        EmrexSession.objects.filter(person=person)
        .exclude(state="open")
        .select_related("contact_point")
        .order_by("-finished_at", "-id")
        .first()
    )


def transfers(institution: Institution, person: Person) -> list[EmrexSession]:
    """S-EMREX-2: every Emrex transfer of the student at the university with its outcome and
    the number of results it brought (one query)."""
    return list(
        EmrexSession.objects.filter(institution=institution, person=person)
        .exclude(state="open")
        .select_related("contact_point")
        .annotate(merit_count=Count("merits"))
        .order_by("-finished_at", "-id")
    )
