"""What the student's certificate pages read (S-CERT-1..4, B-5), each in a fixed number of SQL
queries whatever the number of certificates or checks.

Everything is fetched through the person, so a certificate of someone else answers as if it did
not exist. The managers are scoped: inside the portal only the current university's certificates
are found (the request's scope, institutions.middleware).
"""

import datetime
import uuid

from django.db.models import QuerySet

from certificates.content import part_template
from certificates.content.participation import doctoral_programmes
from certificates.models import Certificate, CertificateKind
from institutions.models import Institution
from people.models import Person

# Which part template (templates/certificates/parts/) shows a certificate's frozen content.


def content_part(content: dict) -> str:
    """The template that renders a snapshot's body: content["kind"] picks it."""
    return part_template(content["kind"])


def _own(person: Person) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person=person)


def student_certificates(person: Person, today: datetime.date) -> list[Certificate]:
    """The person's certificates still within their validity, newest first (S-CERT-3). One
    query; the frozen content stays in the database."""
    return list(
        _own(person)
        .filter(valid_until__gte=today)
        # A degree certificate is listed with the degree it proves (degrees, S-DEG-2).
        .exclude(kind=CertificateKind.DEGREE)
        .defer("content", "failure")
        .order_by("-created_at", "-id")
    )


def student_certificate(person: Person, public_id: uuid.UUID) -> Certificate | None:
    """One of the person's certificates with its verification log (B-5). Two queries."""
    return _own(person).filter(public_id=public_id).prefetch_related("checks").first()


def student_certificate_state(person: Person, public_id: uuid.UUID) -> Certificate | None:
    """One of the person's certificates without its content, for the polled state box, the
    download and the retry. One query."""
    return _own(person).filter(public_id=public_id).defer("content", "options").first()


def has_doctoral_programme(person: Person, institution: Institution) -> bool:
    """Whether the registration certificate may add supervisors and study activity (the rule
    the content applies, so the options are offered exactly where they are accepted). One
    query."""
    return doctoral_programmes(person, institution).exists()
