"""What people do with certificates (S-CERT-1..4, B-5): create one (a student for themself, a
study administrator on a student's behalf), try a failed one again, and the public check of a code
or a file, which leaves a line in the student's log.

Creating freezes the content in the request and hands the rendering to the worker after commit
(DESIGN.md § Documents); nothing about the PDF is decided here.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from certificates import codes, content, options
from certificates.errors import CertificateError, NotAllowed
from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateKind,
    CertificateState,
    CheckMethod,
)
from institutions.models import Institution, InstitutionSettings
from ladokportal import clock
from people.models import Person, User
from people.rules import administers_studies_at

# A fresh check code that collides with an issued one is drawn again (odds about 1 in 2^55).
CODE_ATTEMPTS = 5


def _may_create(actor: User, person: Person, institution: Institution) -> bool:
    if actor.person_id is not None and actor.person_id == person.pk:
        return True
    return administers_studies_at(actor, institution.pk)


def _validity(institution: Institution, today: datetime.date) -> datetime.date:
    days = (
        InstitutionSettings.objects.filter(institution=institution)
        .values_list("certificate_validity_days", flat=True)
        .first()
    )
    return today + datetime.timedelta(days=days or 365)


def create(
    actor: User,
    *,
    person: Person,
    institution: Institution,
    kind: str,
    language: str,
    raw_options: dict,
    request_key: uuid.UUID,
) -> Certificate:
    """A new certificate with its content frozen now, queued for the worker. The same
    request_key (the form's one-time token) returns the certificate it already created, so a
    second click or a re-sent form never makes two."""
    if not _may_create(actor, person, institution):
        raise NotAllowed(_("You may not create certificates for this person."))
    if kind == CertificateKind.NATIONAL_TRANSCRIPT and actor.person_id != person.pk:
        # It shows results from every university: only the student may ask for it, so staff of
        # one university never read another's records through it.
        raise NotAllowed(_("Only the student may create a national transcript of records."))
    existing = _earlier_use(request_key, person=person, kind=kind, language=language)
    if existing is not None:
        return existing
    options.check_kind_and_language(kind, language)
    now = timezone.now()
    parsed = options.parse(kind, raw_options, today=clock.date_of(now))
    valid_until = _validity(institution, clock.date_of(now))
    for _attempt in range(CODE_ATTEMPTS):
        code = codes.new_code()
        snapshot = content.build(
            kind=kind,
            language=language,
            person=person,
            institution=institution,
            options=parsed,
            check_code=code,
            issued_at=now,
            valid_until=valid_until,
        )
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    institution=institution,
                    person=person,
                    kind=kind,
                    language=language,
                    options=parsed.as_json(),
                    content=snapshot,
                    check_code=code,
                    created_by=actor,
                    valid_until=valid_until,
                    request_key=request_key,
                )
                _enqueue_after_commit(certificate)
                return certificate
        except IntegrityError:
            # Either the same request_key won a race (return its certificate) or the code
            # collided (draw another).
            existing = _earlier_use(request_key, person=person, kind=kind, language=language)
            if existing is not None:
                return existing
    raise CertificateError(_("The certificate could not be created. Try again."))


def _earlier_use(
    request_key: uuid.UUID, *, person: Person, kind: str, language: str
) -> Certificate | None:
    """The certificate this form already created (a second click), or None for a fresh form. A
    form used for another person or another kind (Back, then a new choice) is refused, not
    answered with the first certificate."""
    with scopes_disabled():
        # Keys are unique across universities: look in all of them.
        existing = Certificate.objects.filter(request_key=request_key).first()
    if existing is None:
        return None
    if (existing.person_id, existing.kind, existing.language) != (person.pk, kind, language):
        raise CertificateError(
            _("This form has already been used. Reload the page to create another certificate.")
        )
    return existing


def retry(actor: User, certificate: Certificate) -> Certificate:
    """A failed certificate goes back to the worker as the same row: same check code, same
    content (S-CERT-4). Anything but a failed one is left as it is, so a double click is
    harmless."""
    if not _may_create(actor, certificate.person, certificate.institution):
        raise NotAllowed(_("You may not create certificates for this person."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.state != CertificateState.FAILED:
            return locked
        locked.state = CertificateState.QUEUED
        locked.step = ""
        locked.failure = ""
        locked.lease_until = None
        # The worker's count of attempts starts anew (pipeline.MAX_ATTEMPTS): a certificate that
        # failed by running out of attempts would otherwise fail again at once.
        locked.attempts = 0
        locked.state_changed_at = timezone.now()
        locked.save(
            update_fields=[
                "state",
                "step",
                "failure",
                "lease_until",
                "attempts",
                "state_changed_at",
            ]
        )
        _enqueue_after_commit(locked)
        return locked


def _enqueue_after_commit(certificate: Certificate) -> None:
    from certificates.tasks import render_certificate

    pk = certificate.pk
    transaction.on_commit(lambda: render_certificate.delay(pk))


def record_check(certificate: Certificate, method: str) -> None:
    """B-5: the student sees each time their document was checked, and how."""
    if method not in CheckMethod.values:
        raise ValueError(method)
    CertificateCheck.objects.create(
        institution_id=certificate.institution_id, certificate=certificate, method=method
    )


# A document that does not expire (a degree certificate) keeps the latest date a row can hold.
NEVER_EXPIRES = datetime.date(9999, 12, 31)


def create_document(
    actor: User,
    *,
    person: Person,
    institution: Institution,
    kind: str,
    language: str,
    title: str,
    body: dict,
    request_key: uuid.UUID,
) -> Certificate:
    """A document another app has decided on (a degree certificate, S-DEG-6): its body frozen by
    that app, the header, check code and rendering the same as every certificate's. Called
    inside the caller's transaction, whose rights check it trusts; the render is queued after
    that transaction commits. The same request_key returns the document already created."""
    with scopes_disabled():
        existing = Certificate.objects.filter(request_key=request_key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    for _attempt in range(CODE_ATTEMPTS):
        code = codes.new_code()
        snapshot = content.header(
            kind=kind,
            language=language,
            title=title,
            person=person,
            institution=institution,
            check_code=code,
            issued_at=now,
            valid_until="",
            options={},
            body=body,
        )
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    institution=institution,
                    person=person,
                    kind=kind,
                    language=language,
                    content=snapshot,
                    check_code=code,
                    created_by=actor,
                    valid_until=NEVER_EXPIRES,
                    request_key=request_key,
                )
        except IntegrityError:
            continue  # the code collided: draw another
        _enqueue_after_commit(certificate)
        return certificate
    raise CertificateError(_("The certificate could not be created. Try again."))


def revoke(certificate: Certificate) -> None:
    """The issuer has withdrawn what the document proves (a withdrawn degree): from now on the
    verification page says so and hands out no PDF. Called inside the caller's transaction."""
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
