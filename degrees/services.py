"""What people do with degree cases (S-DEG-3, S-DEG-4, S-DEG-6): the student applies; a degree
case officer takes the case, writes internal notes, issues or refuses it, and may later withdraw
an issued degree. Each act is one transaction that locks the case and writes a DegreeCaseEvent;
issuing freezes the degree's content and, where the university issues digital degrees, creates the
degree certificate that the certificates pipeline renders and seals after commit.
"""

import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from degrees import content
from degrees.errors import DegreeError, NotAllowed
from degrees.inputs import completed_courses
from degrees.models import (
    OPEN_CASE_STATES,
    CaseAction,
    CaseState,
    DegreeCase,
    DegreeCaseEvent,
    DegreeCaseNote,
    DegreeKind,
    Delivery,
    IssuedDegree,
)
from degrees.queries import audit_of, offered_kinds
from degrees.rules import handles_degrees_at
from institutions.models import Institution
from ladokportal import clock
from people.models import Person, User

REASON_MAX = 2000


def _event(case: DegreeCase, actor: User, action: str, before: str, reason: str = "") -> None:
    DegreeCaseEvent.objects.create(
        institution_id=case.institution_id,
        case=case,
        action=action,
        actor=actor,
        from_state=before,
        to_state=case.state,
        reason=reason,
    )


def _number(institution: Institution) -> str:
    return f"EX{clock.today():%y}-{uuid.uuid4().hex[:6].upper()}"


# --- The student ------------------------------------------------------------------------------


def submit(
    actor: User,
    *,
    person: Person,
    institution: Institution,
    kind: DegreeKind,
    course_ids: Sequence[int],
    delivery: str,
    request_key: uuid.UUID,
) -> DegreeCase:
    """S-DEG-4: the student applies for a degree (or kursbevis) resting on the chosen courses,
    each one of their own completed courses at this university. The same request_key (the
    form's one-time token) returns the case it already created."""
    if actor.person_id != person.pk:
        raise NotAllowed(_("Only the student may apply for their degree."))
    existing = DegreeCase.objects.filter(request_key=request_key, person=person).first()
    if existing is not None:
        return existing
    settings = getattr(institution, "settings", None)
    if (
        kind.institution_id != institution.pk
        or not offered_kinds(settings).filter(pk=kind.pk).exists()
    ):
        raise DegreeError(_("This university does not award that degree."))
    if delivery not in Delivery.values:
        raise DegreeError(_("Choose how you want to receive the certificate."))
    if delivery == Delivery.DIGITAL and not getattr(settings, "digital_degree", False):
        raise DegreeError(_("This university does not issue digital degree certificates."))
    ids = set(course_ids)
    if not ids:
        raise DegreeError(_("Choose at least one course for the degree to rest on."))
    completed = {c.course_id for c in completed_courses(person, institution)}
    if not ids <= completed:
        raise DegreeError(
            _("A degree can rest only on courses you have completed at this university.")
        )
    with transaction.atomic():
        # One open case per degree: lock the person's open cases of the kind while checking.
        open_cases = DegreeCase.objects.select_for_update().filter(
            person=person, degree_kind=kind, state__in=OPEN_CASE_STATES
        )
        if list(open_cases):
            raise DegreeError(_("You have already applied for this degree; the case is open."))
        try:
            with transaction.atomic():
                case = DegreeCase.objects.create(
                    institution=institution,
                    number=_number(institution),
                    person=person,
                    degree_kind=kind,
                    delivery=delivery,
                    request_key=request_key,
                )
        except IntegrityError:
            existing = DegreeCase.objects.filter(request_key=request_key, person=person).first()
            if existing is not None:
                return existing
            raise
        case.courses.set(sorted(ids))
        _event(case, actor, CaseAction.SUBMIT, "")
    return case


# --- The case officer -------------------------------------------------------------------------


def _officer(actor: User, case: DegreeCase) -> None:
    if not handles_degrees_at(actor, case.institution_id):
        raise NotAllowed(_("Only the university's degree case officers handle degree cases."))


def _locked(case: DegreeCase) -> DegreeCase:
    return (
        DegreeCase.objects.select_for_update(of=("self",))
        .select_related("institution__settings")
        .get(pk=case.pk)
    )


def take(actor: User, case: DegreeCase) -> DegreeCase:
    """The officer takes a submitted case for review; taking one already under review moves it
    to this officer."""
    _officer(actor, case)
    with transaction.atomic():
        locked = _locked(case)
        if locked.state not in OPEN_CASE_STATES:
            raise DegreeError(_("The case has already been decided."))
        if locked.state == CaseState.UNDER_REVIEW and locked.officer_id == actor.pk:
            return locked
        before = locked.state
        locked.state = CaseState.UNDER_REVIEW
        locked.officer = actor
        locked.save(update_fields=["state", "officer"])
        _event(locked, actor, CaseAction.TAKE, before)
    return locked


def add_note(actor: User, case: DegreeCase, text: str) -> DegreeCaseNote:
    """An internal note on the case, for the officers only (S-DEG-3)."""
    _officer(actor, case)
    text = (text or "").strip()
    if not text:
        raise DegreeError(_("Write the note."))
    if len(text) > REASON_MAX:
        raise DegreeError(_("The note is too long."))
    return DegreeCaseNote.objects.create(
        institution_id=case.institution_id, case=case, author=actor, text=text
    )


def _reason(text: str, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DegreeError(empty)
    if len(text) > REASON_MAX:
        raise DegreeError(_("The reason is too long."))
    return text


def refuse(actor: User, case: DegreeCase, *, reason: str) -> DegreeCase:
    """A refusal with a reason the student sees (with how to appeal)."""
    _officer(actor, case)
    reason = _reason(reason, _("Write the reason the student will see."))
    with transaction.atomic():
        locked = _locked(case)
        if locked.state not in OPEN_CASE_STATES:
            raise DegreeError(_("The case has already been decided."))
        before = locked.state
        locked.state = CaseState.REFUSED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
        _event(locked, actor, CaseAction.REFUSE, before, reason)
    return locked


def issue(actor: User, case: DegreeCase) -> IssuedDegree:
    """The decision to issue (S-DEG-2, S-DEG-6): the audit is asked again on the case's courses
    and must hold; the content is frozen; a digital degree certificate is created for the
    worker. Two officers at once: the second finds the case decided."""
    _officer(actor, case)
    with transaction.atomic():
        locked = _locked(case)
        if locked.state not in OPEN_CASE_STATES:
            raise DegreeError(_("The case has already been decided."))
        kind = DegreeKind.objects.select_related("main_field").get(pk=locked.degree_kind_id)
        person = Person.objects.get(pk=locked.person_id)
        course_ids = list(locked.courses.values_list("pk", flat=True))
        verdict = audit_of(person, kind, course_ids)
        if not verdict.met:
            raise DegreeError(
                _("The requirements are not met: %(missing)s.")
                % {"missing": "; ".join(verdict.missing)}
            )
        if len(verdict.courses) != len(course_ids):
            raise DegreeError(
                _("A course of the application is no longer completed. Nothing was issued.")
            )
        now = timezone.now()
        before = locked.state
        locked.state = CaseState.ISSUED
        locked.decided_at = now
        locked.decided_by = actor
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        frozen = content.build(
            case=locked,
            kind=kind,
            person=person,
            institution=locked.institution,
            audit=verdict,
            decision_date=clock.date_of(now),
        )
        degree = IssuedDegree.objects.create(
            institution_id=locked.institution_id,
            case=locked,
            person=person,
            degree_kind=kind,
            content=frozen,
            decision_date=clock.date_of(now),
            issued_by=actor,
        )
        _event(locked, actor, CaseAction.ISSUE, before)
        if _digital(locked):
            degree.document = _document(actor, degree, person, locked.institution)
            degree.save(update_fields=["document"])
    return degree


def _digital(case: DegreeCase) -> bool:
    settings = getattr(case.institution, "settings", None)
    return case.delivery == Delivery.DIGITAL and bool(getattr(settings, "digital_degree", False))


def _document(actor: User, degree: IssuedDegree, person: Person, institution: Institution):
    from certificates import services as certificates
    from certificates.models import CertificateKind

    # One document per degree, whatever happens: the key is derived from the degree.
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"degree:{degree.public_id}")
    return certificates.create_document(
        actor,
        person=person,
        institution=institution,
        kind=CertificateKind.DEGREE,
        language="sv",
        title=f"{degree.content['title']['sv']} / {degree.content['title']['en']}",
        body=degree.content,
        request_key=key,
    )


def withdraw(actor: User, degree: IssuedDegree, *, reason: str) -> IssuedDegree:
    """A withdrawal of an issued degree is a decision with a reason: its shares stop answering
    and its digital certificate verifies as withdrawn."""
    _officer(actor, degree.case)
    reason = _reason(reason, _("Write the reason for the withdrawal."))
    with transaction.atomic():
        locked = IssuedDegree.objects.select_for_update().get(pk=degree.pk)
        if locked.withdrawn:
            raise DegreeError(_("The degree has already been withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        if locked.document_id is not None:
            from certificates import services as certificates

            certificates.revoke(locked.document)
        case = DegreeCase.objects.get(pk=locked.case_id)
        _event(case, actor, CaseAction.WITHDRAW, case.state, reason)
    return locked
