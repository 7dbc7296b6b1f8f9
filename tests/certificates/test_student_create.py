"""Creating a certificate from the student's page (S-CERT-1, S-CERT-4): bad input gives the form
back with a clear message and saves nothing; a second submit of the same form finds the first
certificate; success goes to the certificate's page, where the worker's result shows (B-2)."""

import html
import uuid

import pytest
from django.core import mail
from django.test import Client

from catalog.models import ProgrammeKind
from certificates.models import Certificate, CertificateState
from registration.models import ParticipationState
from tests.certificates.student_world import page_url
from tests.factories import ProgrammeParticipationFactory
from tests.factories.certificates import Transcript, transcript_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(institution) -> Transcript:
    return transcript_student(institution, courses=2, modules=2)


@pytest.fixture
def owner(me, client_for) -> Client:
    return client_for(me.user)


def _form(**fields) -> dict:
    data = {
        "kind": "transcript",
        "language": "en",
        "include_modules": "on",
        "request_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_create_goes_to_the_new_certificate_with_a_message(owner, me):
    response = owner.post("/certificates/", _form())

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response.url == page_url(certificate)
    assert (certificate.person, certificate.created_by) == (me.person, me.user)
    assert (certificate.kind, certificate.language) == ("transcript", "en")
    assert certificate.state == CertificateState.QUEUED
    assert "Your certificate is being created." in owner.get(response.url).text


def test_create_renders_the_document_and_mails_the_student(
    owner, me, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/certificates/", _form(language="sv"))

    certificate = Certificate.objects.get()
    page = owner.get(response.url).text
    assert certificate.state == CertificateState.READY
    assert f'href="/certificates/{certificate.public_id}/document.pdf"' in page
    assert "hx-trigger" not in page
    assert [m.to for m in mail.outbox] == [[me.person.email]]
    assert f"/certificates/{certificate.public_id}/" in mail.outbox[0].body


def test_second_submit_of_the_same_form_finds_the_first_certificate(owner):
    data = _form()

    first = owner.post("/certificates/", data)
    second = owner.post("/certificates/", data)

    assert Certificate.objects.count() == 1
    assert first.url == second.url == page_url(Certificate.objects.get())


BAD = [
    ({"kind": "diploma"}, "There is no such kind of certificate."),
    ({"kind": None}, "This field is required."),
    ({"language": "de"}, "Certificates are issued in Swedish or English only."),
    (
        {"kind": "registration", "date_from": "2025-03-01", "date_to": "2025-01-31"},
        "The period ends before it starts.",
    ),
    (
        {"kind": "registration", "date_from": "2025-02-30", "date_to": "2025-06-01"},
        "Enter a valid date.",
    ),
    (
        {"kind": "registration", "date_from": "2025-03-01"},
        "Give both the first and the last day of the period, or neither.",
    ),
    (
        {"kind": "registration", "supervisors": "on"},
        "Supervisors and study activity can be added only for doctoral students.",
    ),
    (
        {"kind": "expected_participation"},
        "There is no admission that is not yet registered on",
    ),
    ({"request_key": "not-a-key"}, "Enter a valid UUID."),
]


@pytest.mark.parametrize(("fields", "message"), BAD)
def test_bad_input_gives_the_form_back_and_saves_nothing(fields, message, owner):
    before = Certificate.objects.count()

    response = owner.post("/certificates/", _form(**fields))

    assert response.status_code == 400
    assert Certificate.objects.count() == before == 0
    text = html.unescape(response.text)
    assert message in text
    assert "Nothing was saved. Please correct the following:" in text
    assert '<form method="post" action="/certificates/"' in response.text


def test_transcript_without_certified_results_is_refused(student_user, client_for):
    response = client_for(student_user).post("/certificates/", _form())

    assert response.status_code == 400
    assert Certificate.objects.count() == 0
    assert (
        "There are no certified results yet, so a transcript of records would be empty."
        in html.unescape(response.text)
    )


def test_refused_form_keeps_the_answers_and_its_key(owner):
    data = _form(kind="registration", date_from="2025-03-01", date_to="2025-01-31")

    response = owner.post("/certificates/", data)

    text = response.text
    assert f'value="{data["request_key"]}"' in text
    assert (
        '<input type="radio" name="kind" value="registration" id="id_kind_1" required checked>'
        in text
    )
    assert 'value="2025-03-01"' in text


def test_doctoral_student_adds_supervisors_and_study_activity(owner, me, institution):
    ProgrammeParticipationFactory(
        person=me.person,
        state=ParticipationState.REGISTERED,
        programme_instance__programme__institution=institution,
        programme_instance__programme__kind=ProgrammeKind.DOCTORAL_SUBJECT,
        programme_instance__programme__code="FDOK",
    )

    response = owner.post(
        "/certificates/",
        _form(kind="registration", supervisors="on", study_activity="on"),
    )

    certificate = Certificate.objects.get()
    assert response.url == page_url(certificate)
    assert (certificate.options["supervisors"], certificate.options["study_activity"]) == (
        True,
        True,
    )
    assert [p["code"] for p in certificate.content["body"]["doctoral"]] == ["FDOK"]


def test_form_explains_each_kind_and_offers_the_page_language(owner):
    page = owner.get("/certificates/").text

    for explanation in (
        "That you are admitted to education you have not yet started.",
        "Your registrations now, or in a period you choose.",
        "Your courses and results at this university.",
        "Your courses and results at every university in Ladok.",
    ):
        assert explanation in page
    assert page.count('type="radio" name="kind"') == 4
    assert 'name="language" value="en" id="id_language_1" required checked>' in page
    assert 'name="language" value="sv" id="id_language_0" required>' in page
    assert "Options for the registration certificate</legend>" in page
    assert "Options for transcripts of records (local and national)</legend>" in page
