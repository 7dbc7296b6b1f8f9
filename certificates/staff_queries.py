"""Reads for the study administrator's certificate pages (S-CERT-1..4, T-ADM-2, B-5): every
certificate of one student at the current university, expired ones too, and one certificate with
its verification log. Each read costs a fixed number of SQL queries whatever the number of
certificates or checks.

The student is always found first (registration.staff_queries.student_at); every read here goes
through that person and the university, so a certificate id alone reaches nothing.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from certificates.content import part_template
from certificates.content.participation import doctoral_programmes
from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateState,
)
from institutions.models import Institution
from people.models import Person, User

# The part template (templates/certificates/parts/) that shows each kind's frozen body.


@dataclass(frozen=True)
class CertificateRow:
    """One certificate as staff see it in a list: who created it and whether it still holds."""

    certificate: Certificate
    created_by: str
    by_student: bool
    expired: bool
    times_checked: int


@dataclass(frozen=True)
class CertificateDetail:
    row: CertificateRow
    checks: list[CertificateCheck]

    @property
    def certificate(self) -> Certificate:
        return self.row.certificate

    @property
    def part(self) -> str:
        return part_template(self.certificate.kind)


def _creator(user: User, person: Person) -> tuple[str, bool]:
    """(name, by the student): the student themself, or the staff member who acted for them."""
    if user.person_id == person.pk:
        return _("The student"), True
    if user.person is not None:
        return user.person.full_name, False
    return user.get_full_name() or user.username, False


def _row(certificate: Certificate, person: Person, today: datetime.date) -> CertificateRow:
    name, by_student = _creator(certificate.created_by, person)
    return CertificateRow(
        certificate=certificate,
        created_by=name,
        by_student=by_student,
        expired=certificate.valid_until < today,
        times_checked=certificate.times_checked,
    )


def _certificates(person: Person, institution: Institution):
    return (
        Certificate.objects.filter(person=person, institution=institution)
        .select_related("created_by__person")
        .annotate(times_checked=Count("checks"))
        # Meta.ordering does not apply to a grouped query: say it again.
        .order_by("-created_at", "-id")
    )


def certificates_of(
    person: Person, institution: Institution, today: datetime.date, *, limit: int | None = None
) -> list[CertificateRow]:
    """The student's certificates at the university, newest first, expired ones included (the
    student's own list stops at the validity; staff see the whole record). The frozen content
    is not read: a list needs none of it. One query."""
    certificates = _certificates(person, institution).defer("content", "options")
    if limit is not None:
        certificates = certificates[:limit]
    return [_row(c, person, today) for c in certificates]


def certificate_of(
    person: Person, institution: Institution, public_id: uuid.UUID, today: datetime.date
) -> CertificateDetail | None:
    """One certificate of the student at the university with its verification log (B-5), or
    None. Two queries."""
    certificate = (
        _certificates(person, institution)
        .prefetch_related(Prefetch("checks", queryset=CertificateCheck.objects.order_by("-at")))
        .filter(public_id=public_id)
        .first()
    )
    if certificate is None:
        return None
    return CertificateDetail(
        row=_row(certificate, person, today), checks=list(certificate.checks.all())
    )


def certificate_file(
    person: Person, institution: Institution, public_id: uuid.UUID
) -> Certificate | None:
    """The ready certificate behind a download, or None (not the student's, not here, not
    ready). One query; the content is not read."""
    return (
        Certificate.objects.filter(person=person, institution=institution, public_id=public_id)
        .filter(state=CertificateState.READY)
        .only("public_id", "kind", "check_code", "pdf", "state", "institution_id", "person_id")
        .first()
    )


def takes_doctoral_options(person: Person, institution: Institution) -> bool:
    """Whether supervisors and study activity may be asked for (the rule the content applies).
    One query."""
    return doctoral_programmes(person, institution).exists()
