"""The integration inbox's services (B-7, T-EXT-1): a rejected record corrected and applied
again becomes a draft exactly as a push would make it, or changes nothing and says why; a
dismissed record stays on record; exam-system clients are created with a token shown once and
deactivated, by study administrators only."""

import datetime

import pytest
from django.utils import translation

from results.api_auth import hash_token
from results.errors import NotAllowed, ResultError
from results.models import ApiClient, InboundState, RejectedRecord, Result, ResultSource
from results.services import integration
from results.services.integration import Pushed
from tests.factories.results import grade
from tests.results.api_world import EXAM_DAY, exam_at, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def exam(institution):
    return exam_at(institution)


def _rejected(exam, **changes) -> RejectedRecord:
    body = post(exam.results_url, [exam.record(0, **changes)]).json()
    return RejectedRecord.objects.get(public_id=body["records"][0]["rejected_id"])


def _corrected(exam, **changes) -> Pushed:
    fields = {
        "anonymisation_code": exam.signups[0].anonymisation_code,
        "module_code": exam.world.module.code,
        "grade": "G",
        "examination_date": EXAM_DAY,
    }
    fields.update(changes)
    return Pushed(**fields)


def test_payload_round_trips_and_spells_points_one_way():
    record = Pushed(
        grade="G",
        examination_date=datetime.date(2026, 1, 12),
        anonymisation_code="TEN1-AB",
        points=integration.Decimal("12.50"),
        external_id="e-1",
    )
    assert record.payload() == {
        "anonymisation_code": "TEN1-AB",
        "grade": "G",
        "examination_date": "2026-01-12",
        "points": "12.5",
        "external_id": "e-1",
    }
    assert Pushed.from_payload(record.payload()) == Pushed(
        grade="G",
        examination_date=datetime.date(2026, 1, 12),
        anonymisation_code="TEN1-AB",
        points=integration.Decimal("12.5"),
        external_id="e-1",
    )
    assert integration.points_text(integration.Decimal("100")) == "100"
    assert integration.points_text(integration.Decimal("0.00")) == "0"


def test_reapply_makes_the_corrected_record_a_draft_in_the_admins_name(exam):
    record = _rejected(exam, grade="VG", external_id="sys-1")
    admin = exam.world.study_admin
    outcome = integration.reapply(admin, record=record, corrected=_corrected(exam, grade="G"))
    assert outcome.kind == integration.CREATED
    result = Result.objects.get()
    assert (result.source, result.activity_session, result.reported_by, result.grade) == (
        ResultSource.API,
        exam.session,
        admin,
        grade("G"),
    )
    record.refresh_from_db()
    assert (record.state, record.handled_by, record.result) == (InboundState.APPLIED, admin, result)
    assert record.handled_at is not None
    # What the exam system sent stays as it was sent.
    assert record.payload["grade"] == "VG"


def test_reapply_still_wrong_changes_nothing_and_says_why(exam):
    record = _rejected(exam, grade="VG")
    with pytest.raises(ResultError) as refused:
        integration.reapply(
            exam.world.study_admin, record=record, corrected=_corrected(exam, grade="X")
        )
    assert str(refused.value) == "The grade is not on the module's grading scale."
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED
    assert record.handled_by is None
    assert Result.objects.count() == 0


def test_reapply_by_identity_number_instead_of_a_wrong_code_is_refused(exam):
    """B-6 (#17): an anonymous session's record is corrected by code, never by name."""
    from tests.factories import valid_identity_number

    person = exam.world.students[1]
    person.identity_number = valid_identity_number(datetime.date(1998, 7, 6), 55)
    person.save()
    record = _rejected(exam, anonymisation_code="TEN1-TYPO")
    corrected = _corrected(exam, anonymisation_code=None, identity_number=person.identity_number)
    with pytest.raises(ResultError, match="identify the student by anonymisation_code"):
        integration.reapply(exam.world.study_admin, record=record, corrected=corrected)
    assert Result.objects.count() == 0


def test_reapply_refuses_a_record_already_handled(exam):
    record = _rejected(exam, grade="VG")
    integration.dismiss(exam.world.study_admin, record=record, note="sent twice")
    with pytest.raises(ResultError, match=r"^This record has already been handled\.$"):
        integration.reapply(exam.world.study_admin, record=record, corrected=_corrected(exam))
    assert Result.objects.count() == 0


@pytest.mark.parametrize("who", ["reporter", "examiner", "outsider"])
def test_only_study_administrators_reapply_and_dismiss(exam, who):
    record = _rejected(exam, grade="VG")
    user = getattr(exam.world, who)
    with pytest.raises(NotAllowed):
        integration.reapply(user, record=record, corrected=_corrected(exam))
    with pytest.raises(NotAllowed):
        integration.dismiss(user, record=record, note="no")
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED
    assert Result.objects.count() == 0


def test_dismiss_keeps_the_record_with_who_when_and_why(exam):
    record = _rejected(exam, grade="VG")
    integration.dismiss(exam.world.study_admin, record=record, note="Test run of the system")
    record.refresh_from_db()
    assert record.state == InboundState.DISMISSED
    assert record.handled_by == exam.world.study_admin
    assert record.reason == "The grade is not on the module's grading scale."
    assert record.dismissal_note == "Test run of the system"


def test_dismiss_needs_a_reason(exam):
    record = _rejected(exam, grade="VG")
    with pytest.raises(ResultError, match=r"^Say why the record is dismissed\.$"):
        integration.dismiss(exam.world.study_admin, record=record, note="  ")
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED


def test_a_dismissed_record_sent_again_is_not_listed_twice(exam):
    record = _rejected(exam, grade="VG")
    integration.dismiss(exam.world.study_admin, record=record, note="known")
    again = post(exam.results_url, [exam.record(0, grade="VG")]).json()
    assert again["records"][0]["rejected_id"] == str(record.public_id)
    assert RejectedRecord.objects.count() == 1
    record.refresh_from_db()
    assert record.state == InboundState.DISMISSED


def test_create_client_keeps_only_the_hash_of_the_token(exam, institution):
    client, token = integration.create_client(
        exam.world.study_admin,
        institution=institution,
        name_sv="Inspera",
        name_en="Inspera",
        acting_user=exam.world.reporter,
    )
    assert len(token) >= 40
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.token_hash == hash_token(token)
    assert token not in str(list(ApiClient.objects.values()))
    assert (stored.acting_user, stored.active, stored.institution) == (
        exam.world.reporter,
        True,
        institution,
    )


def test_create_client_refuses_an_acting_user_without_a_reporting_right(exam, institution):
    from tests.factories import UserFactory

    with pytest.raises(ResultError, match="The acting user must have a right to report"):
        integration.create_client(
            exam.world.study_admin,
            institution=institution,
            name_sv="X",
            name_en="X",
            acting_user=UserFactory(),
        )
    with pytest.raises(NotAllowed):
        integration.create_client(
            exam.world.reporter,
            institution=institution,
            name_sv="X",
            name_en="X",
            acting_user=exam.world.reporter,
        )
    assert ApiClient.objects.count() == 1  # the exam's own


def test_a_deactivated_client_cannot_push(exam):
    integration.deactivate_client(exam.world.study_admin, client=exam.client)
    assert post(exam.results_url, [exam.record(0)]).status_code == 401
    with pytest.raises(NotAllowed):
        integration.deactivate_client(exam.world.reporter, client=exam.client)


def test_demo_client_gives_a_working_token(exam, institution):
    client, token = integration.demo_client(institution, exam.world.study_admin)
    assert client.name_en == "Digital exam system"
    response = post(exam.results_url, [exam.record(0)], token=token)
    assert response.json()["created"] == 1
