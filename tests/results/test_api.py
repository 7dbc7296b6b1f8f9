"""The integration API (T-EXT-1, B-6, B-7): authentication and the university's scope, session
metadata, results arriving as drafts, idempotency, every reason a record is rejected, malformed
bodies, and a fixed number of queries however large the batch."""

import datetime
import json

import pytest
from django.utils import timezone

from ladokportal import clock
from people.models import StaffRoleKind
from results.models import (
    InboundState,
    RejectedRecord,
    Result,
    ResultAction,
    ResultEvent,
    ResultSource,
    ResultState,
)
from results.services import certifying, reporting
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory, valid_identity_number
from tests.factories.results import grade, register
from tests.results.api_world import EXAM_DAY, TOKEN, bearer, exam_at, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(institution):
    return exam_at(institution)


def _drafts(exam):
    return list(
        Result.objects.filter(activity_session=exam.session, state=ResultState.DRAFT).order_by(
            "person_id"
        )
    )


# --- Authentication and scope


def test_no_token_is_401_with_a_bearer_challenge(exam):
    response = bearer("").get(exam.url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "A valid client token is required: Authorization: Bearer <token>."
    }


def test_wrong_token_is_401(exam):
    assert bearer("not-the-token").get(exam.url).status_code == 401
    assert post(exam.results_url, [exam.record()], token="not-the-token").status_code == 401
    assert Result.objects.count() == 0


def test_inactive_client_is_401(exam):
    exam.client.active = False
    exam.client.save()
    assert bearer().get(exam.url).status_code == 401
    assert post(exam.results_url, [exam.record()]).status_code == 401
    assert Result.objects.count() == 0


def test_another_universitys_session_is_404(exam, other_institution):
    theirs = exam_at(other_institution, token="their-token")
    # Our token on their session: the scope of our university does not find it.
    assert bearer().get(theirs.url).status_code == 404
    response = post(theirs.results_url, [theirs.record()])
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert Result.objects.count() == 0
    assert RejectedRecord.objects.count() == 0


def test_unknown_session_is_404(exam):
    response = bearer().get("/api/v1/sessions/7d9f8a3e-1111-4222-8333-444455556666")
    assert response.status_code == 404


def test_the_api_needs_no_login_and_no_csrf_token(exam):
    """Outside LoginRequiredMiddleware and CSRF: a token, not a cookie, is the credential."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {TOKEN}"})
    response = client.post(
        exam.results_url, data=json.dumps([exam.record()]), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1


def test_acting_user_without_reporting_right_is_403_and_nothing_is_kept(exam, institution):
    exam.client.acting_user = UserFactory(username="nobody-in-particular")
    exam.client.save()
    response = post(exam.results_url, [exam.record()])
    assert response.status_code == 403
    assert response.json()["detail"].startswith(
        "The exam system's acting user nobody-in-particular has no right to report results on "
    )
    assert Result.objects.count() == 0
    assert RejectedRecord.objects.count() == 0


def test_acting_reporter_of_the_course_may_push(exam, institution):
    exam.client.acting_user = exam.world.reporter
    exam.client.save()
    response = post(exam.results_url, [exam.record()])
    assert response.status_code == 200
    assert response.json()["created"] == 1


# --- Session metadata


def test_session_metadata(exam):
    response = bearer().get(exam.url)
    assert response.status_code == 200
    body = response.json()
    session = exam.session
    assert body == {
        "id": str(session.public_id),
        "label": "TEN1",
        "kind": "written",
        "name_sv": session.name_sv,
        "name_en": session.name_en,
        "starts_at": body["starts_at"],
        "ends_at": body["ends_at"],
        "anonymous": True,
        "reporting_deadline": session.reporting_deadline.isoformat(),
        "modules": [
            {
                "code": "M1",
                "course_code": exam.world.instance.course.code,
                "name_sv": exam.world.module.name_sv,
                "name_en": exam.world.module.name_en,
                "grading_scale": exam.world.module.grading_scale.code,
                "grades": ["U", "G"],
                "points": True,
            }
        ],
    }
    assert datetime.datetime.fromisoformat(body["starts_at"]) == session.starts_at


def test_session_metadata_holds_no_student_data(exam):
    text = bearer().get(exam.url).content.decode()
    for signup in exam.signups:
        assert signup.anonymisation_code not in text
        assert signup.person.last_name not in text


# --- Results become drafts


def test_records_by_code_become_drafts_from_the_api(exam):
    records = [exam.record(n, grade="G", points="31.5") for n in range(3)]
    response = post(exam.results_url, records)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (3, 0, 0, 0)
    assert [r["outcome"] for r in body["records"]] == ["created"] * 3
    drafts = _drafts(exam)
    assert len(drafts) == 3
    draft = drafts[0]
    assert draft.source == ResultSource.API
    assert draft.activity_session == exam.session
    assert draft.course_instance == exam.world.instance
    assert draft.module == exam.world.module
    assert draft.grade == grade("G")
    assert draft.examination_date == EXAM_DAY
    assert draft.annotations == {"points": "31.5"}
    assert draft.reported_by == exam.world.study_admin
    event = ResultEvent.objects.get(result=draft)
    assert (event.action, event.source, event.actor) == (
        ResultAction.REPORTED,
        ResultSource.API,
        exam.world.study_admin,
    )
    assert {d.person for d in drafts} == set(exam.world.students)


def test_record_by_identity_number_on_a_session_that_is_not_anonymous(exam):
    exam.session.anonymous = False
    exam.session.save()
    person = exam.world.students[0]
    person.identity_number = valid_identity_number(datetime.date(2000, 1, 2), 123)
    person.save()
    number = f"{person.identity_number[:8]}-{person.identity_number[8:]}"
    record = exam.record(anonymisation_code=None, identity_number=number, grade="U")
    body = post(exam.results_url, [record]).json()
    assert body["records"][0]["outcome"] == "created"
    assert body["records"][0]["identity_number"] == number
    assert Result.objects.get(person=person).grade == grade("U")


def test_module_code_may_be_left_out_when_the_session_has_one_module(exam):
    body = post(exam.results_url, [exam.record(module_code=None)]).json()
    assert body["created"] == 1
    assert _drafts(exam)[0].module == exam.world.module


def test_grade_codes_are_matched_whatever_their_case(exam):
    body = post(exam.results_url, [exam.record(grade="g")]).json()
    assert body["created"] == 1
    assert _drafts(exam)[0].grade == grade("G")


def test_a_changed_record_updates_the_draft(exam):
    post(exam.results_url, [exam.record(0, grade="U", points="12")])
    body = post(exam.results_url, [exam.record(0, grade="G", points="30")]).json()
    assert body["records"][0]["outcome"] == "updated"
    draft = _drafts(exam)[0]
    assert (draft.grade, draft.annotations, draft.version) == (grade("G"), {"points": "30"}, 2)


def test_pushing_the_same_batch_twice_creates_nothing_twice(exam):
    batch = [exam.record(n, points="20.50") for n in range(3)]
    batch.append(exam.record(0, anonymisation_code="TEN1-NOBODY", external_id="x-9"))
    first = post(exam.results_url, batch).json()
    second = post(exam.results_url, batch).json()
    assert (first["created"], first["rejected"]) == (3, 1)
    assert (second["created"], second["updated"], second["unchanged"], second["rejected"]) == (
        0,
        0,
        3,
        1,
    )
    assert len(_drafts(exam)) == 3
    assert ResultEvent.objects.count() == 3
    assert RejectedRecord.objects.count() == 1
    assert first["records"][3]["rejected_id"] == second["records"][3]["rejected_id"]


def test_a_rejected_record_sent_again_corrected_is_settled(exam):
    wrong = exam.record(0, grade="VG", external_id="exam-17")
    first = post(exam.results_url, [wrong]).json()
    assert first["rejected"] == 1
    # Still wrong, differently: the same inbox row follows the latest payload and reason.
    again = post(exam.results_url, [exam.record(0, grade="X", external_id="exam-17")]).json()
    assert again["records"][0]["rejected_id"] == first["records"][0]["rejected_id"]
    record = RejectedRecord.objects.get()
    assert record.payload["grade"] == "X"
    # Now right: a draft, and the rejection is settled with it.
    fixed = post(exam.results_url, [exam.record(0, grade="G", external_id="exam-17")]).json()
    assert fixed["created"] == 1
    record.refresh_from_db()
    assert record.state == InboundState.APPLIED
    assert record.result == _drafts(exam)[0]
    assert record.handled_by == exam.world.study_admin
    assert RejectedRecord.objects.count() == 1


# --- Rejections (B-7: nothing dropped silently)


def _rejected_reason(exam, record) -> str:
    response = post(exam.results_url, [record])
    assert response.status_code == 200
    row = response.json()["records"][0]
    assert row["outcome"] == "rejected"
    kept = RejectedRecord.objects.get(public_id=row["rejected_id"])
    assert kept.reason == row["reason"]
    assert kept.client == exam.client
    assert kept.session == exam.session
    assert kept.state == InboundState.REJECTED
    assert Result.objects.count() == 0
    return row["reason"]


def test_grade_outside_the_modules_scale_is_rejected(exam):
    assert _rejected_reason(exam, exam.record(grade="VG")) == (
        "The grade is not on the module's grading scale."
    )


def test_unknown_anonymisation_code_is_rejected(exam):
    assert _rejected_reason(exam, exam.record(anonymisation_code="TEN1-XXXX")) == (
        "No sign-up to this session has this anonymisation code."
    )


def test_code_of_a_cancelled_signup_is_rejected(exam):
    exam.signups[0].cancelled_at = timezone.now()
    exam.signups[0].save()
    assert _rejected_reason(exam, exam.record(0)) == (
        "The sign-up with this anonymisation code was cancelled."
    )


def test_code_on_a_session_that_is_not_anonymous_is_rejected(exam):
    exam.session.anonymous = False
    exam.session.save()
    assert _rejected_reason(exam, exam.record(0)) == (
        "The session is not anonymous; identify the student by identity_number."
    )


def test_an_anonymous_session_refuses_records_keyed_by_identity_number(exam):
    """B-6, T-ANON-1 (#17): a record by name would overwrite the draft a code's result made and
    tell the sender which one; the session takes codes only."""
    person = exam.world.students[0]
    person.identity_number = valid_identity_number(datetime.date(2000, 1, 2), 123)
    person.save()
    number = f"{person.identity_number[:8]}-{person.identity_number[8:]}"
    record = exam.record(anonymisation_code=None, identity_number=number, grade="U")
    assert _rejected_reason(exam, record) == (
        "The session is anonymous; identify the student by anonymisation_code."
    )


def test_invalid_identity_number_is_rejected(exam):
    exam.session.anonymous = False
    exam.session.save()
    record = exam.record(anonymisation_code=None, identity_number="19990308-1235")
    assert _rejected_reason(exam, record) == (
        "The identity number's check digit is wrong. Check that you typed it correctly."
    )


def test_identity_number_of_someone_not_on_the_course_is_rejected(exam):
    exam.session.anonymous = False
    exam.session.save()
    stranger = PersonFactory(identity_number=valid_identity_number(datetime.date(1990, 5, 6), 44))
    unknown = valid_identity_number(datetime.date(1991, 5, 6), 45)
    expected = "The student is not and has not been registered on this course."
    for number in (stranger.identity_number, unknown):
        RejectedRecord.objects.all().delete()
        record = exam.record(anonymisation_code=None, identity_number=number)
        assert _rejected_reason(exam, record) == expected


def test_unknown_module_is_rejected(exam):
    assert _rejected_reason(exam, exam.record(module_code="M9")) == (
        "The session has no module with this code."
    )


def test_module_must_be_named_when_the_session_has_several(institution):
    exam = exam_at(institution, modules=2)
    assert _rejected_reason(exam, exam.record(module_code=None)) == (
        "Give module_code: the session examines more than one module."
    )


def test_points_without_a_points_column_are_rejected(institution):
    exam = exam_at(institution, points=False)
    assert _rejected_reason(exam, exam.record(points="10")) == (
        "The module has no examination points column; points cannot be kept."
    )


def test_examination_date_in_the_future_is_rejected(exam):
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    assert _rejected_reason(exam, exam.record(examination_date=tomorrow)) == (
        "The examination date cannot be in the future."
    )


def test_student_no_longer_on_the_course_is_rejected(exam, institution):
    outsider = PersonFactory()
    exam.signups[0].person = outsider
    exam.signups[0].save()
    assert _rejected_reason(exam, exam.record(0)) == (
        "The student is not and has not been registered on this course."
    )


def test_several_reasons_are_all_given(exam):
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    reason = _rejected_reason(exam, exam.record(grade="VG", examination_date=tomorrow, points="1"))
    assert reason == "The grade is not on the module's grading scale."
    # The scale is judged before the row's own checks; with the grade right the date speaks.
    RejectedRecord.objects.all().delete()
    reason = _rejected_reason(exam, exam.record(examination_date=tomorrow))
    assert reason == "The examination date cannot be in the future."


def test_the_same_student_twice_in_a_batch_rejects_the_second(exam):
    body = post(exam.results_url, [exam.record(0), exam.record(0, grade="U")]).json()
    assert [r["outcome"] for r in body["records"]] == ["created", "rejected"]
    assert body["records"][1]["reason"] == "This student appears more than once."
    assert _drafts(exam)[0].grade == grade("G")


def test_good_records_are_kept_beside_rejected_ones(exam):
    body = post(exam.results_url, [exam.record(0), exam.record(1, grade="VG")]).json()
    assert (body["created"], body["rejected"]) == (1, 1)
    assert [r["index"] for r in body["records"]] == [0, 1]
    assert len(_drafts(exam)) == 1


def _mark_ready(exam):
    drafts = _drafts(exam)
    return reporting.mark_ready(
        exam.world.study_admin, results=drafts, graded_by=exam.world.reporter, notify=None
    )


def test_a_result_marked_ready_is_not_changed_from_outside(exam):
    post(exam.results_url, [exam.record(0)])
    _mark_ready(exam)
    # The same record again changes nothing and is answered as such.
    assert post(exam.results_url, [exam.record(0)]).json()["records"][0]["outcome"] == ("unchanged")
    reason = _rejected_reason_after(exam, exam.record(0, grade="U"))
    assert reason == (
        "The student's result on this module is already marked as ready; report a correction "
        "through the staff web."
    )
    result = Result.objects.get()
    assert (result.state, result.grade) == (ResultState.READY, grade("G"))


def test_a_certified_result_is_not_changed_from_outside(exam):
    post(exam.results_url, [exam.record(0)])
    ready = _mark_ready(exam)
    certifying.certify(exam.world.examiner, results=ready)
    assert post(exam.results_url, [exam.record(0)]).json()["unchanged"] == 1
    reason = _rejected_reason_after(exam, exam.record(0, grade="U"))
    assert reason == (
        "The student's result on this module from this session is already certified; report a "
        "correction through the staff web."
    )
    assert Result.objects.get().state == ResultState.CERTIFIED
    assert Result.objects.count() == 1


def test_a_certified_result_of_an_earlier_session_does_not_block_the_retake(exam):
    earlier = Result.objects.create(
        institution=exam.session.institution,
        person=exam.world.students[0],
        course_instance=exam.world.instance,
        module=exam.world.module,
        grade=grade("U"),
        examination_date=EXAM_DAY - datetime.timedelta(days=20),
        state=ResultState.CERTIFIED,
        source=ResultSource.PAGE,
        certified_by=exam.world.examiner,
        certified_at=timezone.now(),
    )
    body = post(exam.results_url, [exam.record(0, grade="G")]).json()
    assert body["created"] == 1
    assert Result.objects.exclude(pk=earlier.pk).get().grade == grade("G")


def _rejected_reason_after(exam, record) -> str:
    row = post(exam.results_url, [record]).json()["records"][0]
    assert row["outcome"] == "rejected"
    return row["reason"]


def test_a_student_on_another_instance_of_the_course_is_reported_there(exam, institution):
    """A session examining two instances of the course: the record goes to the student's."""
    from tests.factories import CourseInstanceFactory
    from tests.factories.exams import SignupFactory

    second = CourseInstanceFactory(
        course=exam.world.instance.course,
        start_date=exam.world.instance.start_date,
        end_date=exam.world.instance.end_date,
    )
    exam.session.course_instances.add(second)
    person = PersonFactory()
    register(person, second)
    signup = SignupFactory(session=exam.session, person=person, anonymisation_code="TEN1-LATE")
    body = post(exam.results_url, [exam.record(0), exam.record(anonymisation_code="TEN1-LATE")])
    assert body.json()["created"] == 2
    assert Result.objects.get(person=signup.person).course_instance == second
    assert Result.objects.get(person=exam.world.students[0]).course_instance == exam.world.instance


# --- B-6: the answers never link a code to a person


def test_answers_to_code_keyed_records_name_nobody(exam):
    person = exam.world.students[0]
    person.identity_number = valid_identity_number(datetime.date(2001, 2, 3), 321)
    person.save()
    batch = [exam.record(0), exam.record(0, grade="U"), exam.record(1, grade="VG")]
    text = post(exam.results_url, batch).content.decode()
    for student in exam.world.students:
        for secret in (student.first_name, student.last_name, str(student.public_id)):
            assert secret not in text
    assert person.identity_number not in text
    assert person.identity_number[:8] not in text
    assert json.loads(text)["records"][0] == {
        "index": 0,
        "outcome": "created",
        "reason": None,
        "rejected_id": None,
        "anonymisation_code": "TEN1-C0000",
        "identity_number": None,
        "module_code": "M1",
        "external_id": None,
    }


# --- Malformed bodies: 422 naming the field


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"grade": None}, ["body", "records", 0, "grade"], "missing"),
        ({"grade": "V G"}, ["body", "records", 0, "grade"], "string_pattern_mismatch"),
        ({"examination_date": "2024-02-30"}, ["body", "records", 0, "examination_date"], None),
        ({"points": "-1"}, ["body", "records", 0, "points"], "greater_than_equal"),
        ({"points": "1.234"}, ["body", "records", 0, "points"], "decimal_max_places"),
        ({"module_code": "M\x001"}, ["body", "records", 0, "module_code"], None),
        ({"colour": "blue"}, ["body", "records", 0, "colour"], "extra_forbidden"),
        ({"anonymisation_code": None}, ["body", "records", 0], "value_error"),
        ({"identity_number": "19990308-1234"}, ["body", "records", 0], "value_error"),
    ],
)
def test_a_malformed_record_is_422_naming_the_field(exam, change, loc, kind):
    response = post(exam.results_url, [exam.record(0, **{k: v for k, v in change.items()})])
    assert response.status_code == 422
    issues = response.json()["detail"]
    assert [i["loc"] for i in issues] == [loc]
    assert set(issues[0]) == {"loc", "msg", "type"}
    if kind:
        assert issues[0]["type"] == kind
    assert Result.objects.count() == 0
    assert RejectedRecord.objects.count() == 0


def test_missing_fields_drop_out_of_the_record_before_the_check(exam):
    # exam.record(**{"grade": None}) removes the key: the parametrised case above is "missing".
    assert "grade" not in exam.record(grade=None)


def test_a_body_that_is_not_a_list_is_422(exam):
    for body in ({"records": []}, [], "text"):
        response = post(exam.results_url, body)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][0] == "body"


def test_a_body_that_is_not_json_is_400_in_json(exam):
    response = bearer().post(exam.results_url, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


def test_a_session_id_that_is_no_uuid_is_422(exam):
    response = bearer().get("/api/v1/sessions/123")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "session_id"]


# --- Fixed number of queries


def test_a_push_costs_the_same_queries_for_5_and_for_50_records(institution, other_institution):
    small = exam_at(institution, students=5)
    large = exam_at(other_institution, students=50, token="other-token")

    from tests.statements import count_statements

    def count(exam, token, n):
        batch = [exam.record(i, points=str(i)) for i in range(n)]
        batch.append(exam.record(0, anonymisation_code="TEN1-NOONE"))
        # A bulk insert that SQLite cuts at its parameter limit counts as one statement, as it
        # is on PostgreSQL; a statement per record still counts per record.
        with count_statements() as counted:
            body = post(exam.results_url, batch, token=token).json()
        assert (body["created"], body["rejected"]) == (n, 1)
        return counted.total

    assert count(small, TOKEN, 5) == count(large, "other-token", 50)


def test_study_admin_role_is_enough_to_act(exam, institution):
    admin = UserFactory(username="another-admin")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    exam.client.acting_user = admin
    exam.client.save()
    assert post(exam.results_url, [exam.record()]).json()["created"] == 1


# --- The schema


def test_the_openapi_schema_is_served_without_login_and_no_docs_page_loads_a_cdn(db):
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert sorted(body["paths"]) == [
        "/api/v1/sessions/{session_id}",
        "/api/v1/sessions/{session_id}/results",
    ]
    assert body["components"]["securitySchemes"] == {
        "ClientToken": {"type": "http", "scheme": "bearer"}
    }
    # ninja's docs page would fetch Swagger UI from a CDN: it is switched off.
    assert Client().get("/api/v1/docs").status_code == 404
