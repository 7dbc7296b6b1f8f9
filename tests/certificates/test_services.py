"""Creating a certificate, trying a failed one again and logging its checks (S-CERT-1..4, B-5):
the student for themself or a study administrator of the university on their behalf, the content
frozen and the render queued after commit, one row per form however often it is sent, bad input
refused with nothing saved."""

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone, translation

from certificates import codes, services
from certificates.errors import CertificateError, NotAllowed
from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateKind,
    CertificateState,
    CheckMethod,
    RenderStep,
)
from ladokportal import clock
from ladokportal.errors import DomainError
from people.models import StaffRoleKind
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.factories import StaffRoleFactory, UserFactory
from tests.factories.certificates import transcript_student

K = CertificateKind


@pytest.fixture
def student(institution):
    return transcript_student(institution, courses=2)


@pytest.fixture
def study_admin(institution):
    return StaffRoleFactory(
        user=UserFactory(username="studyadmin"),
        institution=institution,
        role=StaffRoleKind.STUDY_ADMIN,
    ).user


def create(
    actor, person, institution, *, request_key=None, kind=K.TRANSCRIPT, language="en", **raw
):
    return services.create(
        actor,
        person=person,
        institution=institution,
        kind=kind,
        language=language,
        raw_options=raw,
        request_key=request_key or uuid.uuid4(),
    )


def refused(action) -> DomainError:
    """The refusal: a CertificateError, or NotAllowed for a missing right."""
    before = Certificate.objects.count()
    with pytest.raises(DomainError) as error:
        action()
    assert Certificate.objects.count() == before
    return error.value


# --- Who may create ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_student_creates_a_certificate_for_themself(
    institution, student, django_capture_on_commit_callbacks
):
    """S-CERT-1, S-CERT-4: the content is frozen in the request; the render is queued only
    after commit."""
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks() as callbacks:
        certificate = create(
            student.user, student.person, institution, request_key=key, language="sv"
        )

    certificate.refresh_from_db()
    assert (certificate.person, certificate.institution, certificate.created_by) == (
        student.person,
        institution,
        student.user,
    )
    assert (certificate.kind, certificate.language, certificate.request_key) == (
        "transcript",
        "sv",
        key,
    )
    assert (certificate.state, certificate.step, certificate.attempts) == (
        CertificateState.QUEUED,
        "",
        0,
    )
    assert (certificate.pdf.name, certificate.sha256, certificate.page_count) == ("", "", None)
    assert codes.normalise(certificate.check_code) == certificate.check_code
    assert certificate.content["check_code"] == certificate.display_code
    assert certificate.content["language"] == "sv"
    assert len(certificate.content["body"]["universities"][0]["courses"]) == 2
    assert certificate.options == certificate.content["options"]
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_another_student_may_not_create_one_for_someone_else(institution, student):
    other = transcript_student(institution, courses=1)

    with translation.override("en"):
        error = refused(lambda: create(other.user, student.person, institution))

    assert isinstance(error, NotAllowed)
    assert error.message == "You may not create certificates for this person."


@pytest.mark.django_db
def test_a_study_administrator_of_the_university_creates_one_on_the_students_behalf(
    institution, student, study_admin
):
    """S-CERT-1 on the staff side: people.rules.administers_studies_at."""
    certificate = create(study_admin, student.person, institution)

    assert (certificate.person, certificate.created_by) == (student.person, study_admin)
    assert Certificate.objects.filter(person=student.person).count() == 1


@pytest.mark.django_db
def test_a_study_administrator_of_another_university_may_not(
    institution, other_institution, student
):
    elsewhere = StaffRoleFactory(institution=other_institution, role=StaffRoleKind.STUDY_ADMIN).user

    assert isinstance(refused(lambda: create(elsewhere, student.person, institution)), NotAllowed)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [StaffRoleKind.REPORTER, StaffRoleKind.CERTIFIER])
def test_staff_who_do_not_manage_students_may_not(institution, student, role):
    teacher = StaffRoleFactory(institution=institution, role=role).user

    assert isinstance(refused(lambda: create(teacher, student.person, institution)), NotAllowed)


# --- Bad input: a message, nothing saved ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "language", "raw", "message"),
    [
        ("diploma", "en", {}, "There is no such kind of certificate."),
        (K.TRANSCRIPT, "de", {}, "Certificates are issued in Swedish or English only."),
        (
            K.REGISTRATION,
            "en",
            {"date_from": "2025-09-01", "date_to": "2025-08-01"},
            "The period ends before it starts.",
        ),
        (
            K.REGISTRATION,
            "en",
            {"date_from": "2025-09-01"},
            "Give both the first and the last day of the period, or neither.",
        ),
        (
            K.EXPECTED_PARTICIPATION,
            "en",
            {},
            "There is no admission that is not yet registered on, so a certificate of expected "
            "participation would have nothing to show.",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_saved(
    institution, student, kind, language, raw, message, django_capture_on_commit_callbacks
):
    # The message is in the active language: English here, whatever an earlier test left.
    with django_capture_on_commit_callbacks() as callbacks, translation.override("en"):
        error = refused(
            lambda: create(
                student.user, student.person, institution, kind=kind, language=language, **raw
            )
        )

    assert error.message == message
    assert callbacks == []


# --- One row per form ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_request_key_twice_gives_the_same_certificate(
    institution, student, django_capture_on_commit_callbacks
):
    """S-CERT-4: a second click or a re-sent form never makes a second certificate (nor a
    second render)."""
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks() as callbacks:
        first = create(student.user, student.person, institution, request_key=key)
        second = create(student.user, student.person, institution, request_key=key)

    assert second.pk == first.pk
    assert second.check_code == first.check_code
    assert Certificate.objects.filter(person=student.person).count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_used_form_asking_for_something_else_is_refused(institution, student):
    """Back after creating, then another choice on the same form, or the form's key sent for
    another person: a clear message, not the first certificate and not a second row."""
    key = uuid.uuid4()
    create(student.user, student.person, institution, request_key=key)
    other_student = transcript_student(institution, courses=1)

    with pytest.raises(CertificateError) as other_language:
        create(student.user, student.person, institution, request_key=key, language="sv")
    with pytest.raises(CertificateError) as other_person:
        create(other_student.user, other_student.person, institution, request_key=key)

    message = "This form has already been used. Reload the page to create another certificate."
    assert (other_language.value.message, other_person.value.message) == (message, message)
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_only_the_student_may_create_a_national_transcript(institution, student, study_admin):
    """It shows every university's results: a study administrator of one university must not
    read another's records through it."""
    with pytest.raises(NotAllowed):
        create(study_admin, student.person, institution, kind=K.NATIONAL_TRANSCRIPT)

    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_the_frozen_content_does_not_change_with_the_records(institution, student):
    """S-CERT-3: opening it again gives the very same content, not newer data."""
    certificate = create(student.user, student.person, institution)
    before = certificate.content
    transcript_student(institution, courses=1, person=student.person)

    certificate.refresh_from_db()

    assert certificate.content == before
    assert len(certificate.content["body"]["universities"][0]["courses"]) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
)
def test_two_creates_with_the_same_request_key_at_once_make_one_certificate(
    institution, settings, tmp_path
):
    """S-CERT-4: two requests of one form at the same moment (a double click that reaches two
    web processes) end in one certificate, and both answer with it."""
    from certificates import seal

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_DIR = tmp_path / "seals"
    seal.clear_cache()
    student = transcript_student(institution, courses=1)
    for repetition in range(REPETITIONS):
        key = uuid.uuid4()

        def make(key=key):
            return create(student.user, student.person, institution, request_key=key)

        outcomes = run_together(make, make, delays=head_start(repetition))

        assert [type(outcome) for outcome in outcomes] == [Certificate, Certificate], outcomes
        assert outcomes[0].pk == outcomes[1].pk
        assert Certificate.objects.filter(request_key=key).count() == 1
    assert Certificate.objects.count() == REPETITIONS
    seal.clear_cache()


# --- Validity ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("days", [365, 30])
def test_valid_until_is_today_plus_the_universitys_validity(institution, student, days):
    """S-CERT-3: one year unless the institution sets otherwise."""
    institution.settings.certificate_validity_days = days
    institution.settings.save()

    certificate = create(student.user, student.person, institution)

    assert certificate.valid_until == clock.today() + datetime.timedelta(days=days)
    assert certificate.content["valid_until"] == certificate.valid_until.isoformat()


# --- Trying a failed certificate again ----------------------------------------------------------


def failed(certificate: Certificate, attempts: int = 2) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        state=CertificateState.FAILED,
        failure="SealUnavailable: no seal",
        attempts=attempts,
        state_changed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    certificate.refresh_from_db()
    return certificate


@pytest.mark.django_db
def test_retry_puts_a_failed_certificate_back_in_the_queue_as_the_same_row(
    institution, student, django_capture_on_commit_callbacks
):
    """S-CERT-4: a failure can be retried without creating a second certificate."""
    certificate = failed(create(student.user, student.person, institution))
    content, code = certificate.content, certificate.check_code

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.retry(student.user, certificate)

    again.refresh_from_db()
    assert again.pk == certificate.pk
    assert (again.state, again.step, again.failure, again.lease_until) == (
        CertificateState.QUEUED,
        RenderStep.WAITING,
        "",
        None,
    )
    assert (again.check_code, again.content) == (code, content)
    assert again.state_changed_at > certificate.state_changed_at
    assert Certificate.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_retry_after_the_attempts_ran_out_gives_the_worker_all_its_attempts_again(
    institution, student
):
    """pipeline.MAX_ATTEMPTS: "the student can try again, which starts the count anew"."""
    from certificates.pipeline import MAX_ATTEMPTS

    certificate = failed(create(student.user, student.person, institution), attempts=MAX_ATTEMPTS)

    assert services.retry(student.user, certificate).attempts == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [CertificateState.QUEUED, CertificateState.RENDERING, CertificateState.READY]
)
def test_retry_leaves_a_certificate_that_has_not_failed_as_it_is(
    institution, student, state, django_capture_on_commit_callbacks
):
    certificate = create(student.user, student.person, institution)
    fields = {"state": state, "attempts": 1}
    if state == CertificateState.READY:
        fields |= {"pdf": "certificates/x-1.pdf", "sha256": "a" * 64}
    Certificate.objects.filter(pk=certificate.pk).update(**fields)
    certificate.refresh_from_db()

    with django_capture_on_commit_callbacks() as callbacks:
        services.retry(student.user, certificate)

    after = Certificate.objects.get(pk=certificate.pk)
    assert (after.state, after.attempts, after.state_changed_at) == (
        state,
        1,
        certificate.state_changed_at,
    )
    assert callbacks == []


@pytest.mark.django_db
def test_retry_is_for_the_student_and_their_study_administrators_only(
    institution, student, study_admin
):
    certificate = failed(create(student.user, student.person, institution))
    other = transcript_student(institution, courses=1)

    with pytest.raises(NotAllowed):
        services.retry(other.user, certificate)
    assert Certificate.objects.get(pk=certificate.pk).state == CertificateState.FAILED

    services.retry(study_admin, certificate)
    assert Certificate.objects.get(pk=certificate.pk).state == CertificateState.QUEUED


# --- The verification log (B-5) ------------------------------------------------------------------


@pytest.mark.django_db
def test_record_check_logs_each_use_with_its_method(institution, student):
    """B-5: the student sees when and how their document was checked; nothing about who."""
    certificate = create(student.user, student.person, institution)

    for method in (CheckMethod.CODE, CheckMethod.LINK, CheckMethod.UPLOAD, CheckMethod.CODE):
        services.record_check(certificate, method)

    checks = CertificateCheck.objects.filter(certificate=certificate).order_by("id")
    assert [(c.method, c.institution_id) for c in checks] == [
        ("code", institution.pk),
        ("link", institution.pk),
        ("upload", institution.pk),
        ("code", institution.pk),
    ]
    assert {field.name for field in CertificateCheck._meta.get_fields()} == {
        "id",
        "institution",
        "certificate",
        "at",
        "method",
    }


@pytest.mark.django_db
def test_record_check_refuses_an_unknown_method(institution, student):
    certificate = create(student.user, student.person, institution)

    with pytest.raises(ValueError, match="telepathy"):
        services.record_check(certificate, "telepathy")
    assert CertificateCheck.objects.count() == 0
