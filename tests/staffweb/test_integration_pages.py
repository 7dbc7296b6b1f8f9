"""Staff pages of the integration with exam systems (B-7, T-EXT-1, B-6): the inbox of rejected
records, correct-and-re-apply and dismiss, and the exam-system clients with a token shown once.
Every page tried as the study administrator, as teachers (403), as a student (403), as nobody
(login) and on another university's rows (404)."""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from results.api_auth import hash_token
from results.models import ApiClient, InboundState, RejectedRecord, Result, ResultSource
from tests.factories import UserFactory, valid_identity_number
from tests.factories.results import grade
from tests.results.api_world import EXAM_DAY, TOKEN, exam_at, post

pytestmark = pytest.mark.django_db

INBOX = "/staff/integrations/"
CLIENTS = "/staff/integrations/clients/"
NEW_CLIENT = "/staff/integrations/clients/new/"


@pytest.fixture(autouse=True)
def _english():
    """Messages and headings are compared word for word."""
    with translation.override("en"):
        yield


@pytest.fixture
def exam(institution):
    return exam_at(institution)


def _reject(exam, n: int = 0, token: str = TOKEN, **changes) -> RejectedRecord:
    body = post(exam.results_url, [exam.record(n, **changes)], token=token).json()
    return RejectedRecord.objects.get(public_id=body["records"][0]["rejected_id"])


def _page(record: RejectedRecord) -> str:
    return f"{INBOX}records/{record.public_id}/"


@pytest.fixture
def admin_client(exam, client_for) -> Client:
    return client_for(exam.world.study_admin)


# --- Who may enter


def _urls(exam) -> list[tuple[str, str]]:
    record = _reject(exam, grade="VG")
    return [
        ("get", INBOX),
        ("get", _page(record)),
        ("post", f"{_page(record)}dismiss/"),
        ("get", CLIENTS),
        ("get", NEW_CLIENT),
        ("post", f"{CLIENTS}{exam.client.public_id}/deactivate/"),
    ]


@pytest.mark.parametrize("who", ["reporter", "examiner"])
def test_teachers_get_403_everywhere(exam, client_for, who):
    client = client_for(getattr(exam.world, who))
    for method, url in _urls(exam):
        assert getattr(client, method)(url).status_code == 403, url
    assert RejectedRecord.objects.get().state == InboundState.REJECTED
    assert ApiClient.objects.get().active


def test_a_student_gets_403(exam, client_for, student_user):
    client = client_for(student_user)
    for method, url in _urls(exam):
        assert getattr(client, method)(url).status_code == 403, url


def test_nobody_is_sent_to_log_in(exam):
    for method, url in _urls(exam):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


def test_another_universitys_record_and_client_are_404(exam, admin_client, other_institution):
    theirs = exam_at(other_institution, token="their-token")
    record = _reject(theirs, token="their-token", grade="VG")
    assert record.institution == other_institution
    assert admin_client.get(_page(record)).status_code == 404
    assert admin_client.post(f"{_page(record)}dismiss/", {"note": "x"}).status_code == 404
    deactivate = f"{CLIENTS}{theirs.client.public_id}/deactivate/"
    assert admin_client.post(deactivate).status_code == 404
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED
    assert ApiClient.objects.get(pk=theirs.client.pk).active


# --- The inbox


def test_inbox_lists_rejected_records_with_client_session_fields_and_reason(exam, admin_client):
    _reject(exam, grade="VG", points="14", external_id="ins-77")
    html = admin_client.get(INBOX).content.decode()
    assert "1 record" in html
    assert "Exam system" in html  # the client's name
    assert exam.session.label in html
    assert "TEN1-C0000" in html
    assert "VG (14 p)" in html
    assert EXAM_DAY.isoformat() in html
    assert "The grade is not on the module&#x27;s grading scale." in html


def test_inbox_shows_reasons_in_swedish_where_translated(exam, admin_client):
    """Kept in English, shown in the reader's language (a reason without inserted values)."""
    _reject(exam, grade="VG")
    with translation.override("sv"):
        from django.utils.translation import gettext

        swedish = gettext("The grade is not on the module's grading scale.")
    response = admin_client.get(INBOX, headers={"Accept-Language": "sv"})
    html = response.content.decode()
    if swedish != "The grade is not on the module's grading scale.":
        assert swedish.replace("'", "&#x27;") in html
    else:
        # Not translated yet (locale/ is done centrally): the English text is shown.
        assert "The grade is not on the module&#x27;s grading scale." in html


def test_inbox_filters_by_state(exam, admin_client):
    open_one = _reject(exam, 0, grade="VG")
    dismissed = _reject(exam, 1, grade="VG")
    admin_client.post(f"{_page(dismissed)}dismiss/", {"note": "test run"})
    assert open_one.public_id != dismissed.public_id

    def listed(query: str) -> list[str]:
        html = admin_client.get(f"{INBOX}{query}").content.decode()
        return [code for code in ("TEN1-C0000", "TEN1-C0001") if code in html]

    assert listed("") == ["TEN1-C0000"]
    assert listed("?state=rejected") == ["TEN1-C0000"]
    assert listed("?state=dismissed") == ["TEN1-C0001"]
    assert listed("?state=all") == ["TEN1-C0000", "TEN1-C0001"]
    assert listed("?state=nonsense") == ["TEN1-C0000"]


def test_inbox_html_never_links_a_code_to_its_person(exam, admin_client):
    """B-6: the study administrator sees the code the system sent, never who holds it."""
    person = exam.world.students[0]
    person.identity_number = valid_identity_number(datetime.date(2002, 4, 5), 77)
    person.save()
    record = _reject(exam, grade="VG")
    for url in (INBOX, _page(record), f"{INBOX}?state=all"):
        html = admin_client.get(url).content.decode()
        assert "TEN1-C0000" in html
        for secret in (
            person.first_name,
            person.last_name,
            person.identity_number,
            person.identity_number[:8],
            str(person.public_id),
        ):
            assert secret not in html, (url, secret)


def test_a_record_keyed_by_identity_number_shows_the_number_sent(exam, admin_client):
    exam.session.anonymous = False
    exam.session.save()
    number = valid_identity_number(datetime.date(1995, 1, 1), 12)
    record = _reject(exam, anonymisation_code=None, identity_number=number)
    assert number in admin_client.get(_page(record)).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_inbox_costs_a_fixed_number_of_queries(
    exam, admin_client, count, django_assert_num_queries
):
    for n in range(count):
        _reject(exam, n, grade="VG")
    with django_assert_num_queries(6):
        response = admin_client.get(INBOX)
    assert response.content.decode().count("TEN1-C000") == count


# --- Correct and re-apply; dismiss


def test_the_record_page_prefills_the_correction_form(exam, admin_client):
    record = _reject(exam, grade="VG", points="14.5")
    form = admin_client.get(_page(record)).context["form"]
    assert form.initial == {
        "anonymisation_code": "TEN1-C0000",
        "module_code": "M1",
        "grade": "VG",
        "examination_date": EXAM_DAY.isoformat(),
        "points": "14.5",
    }


def _correction(exam, **changes) -> dict:
    data = {
        "anonymisation_code": "TEN1-C0000",
        "identity_number": "",
        "module_code": "M1",
        "grade": "G",
        "examination_date": EXAM_DAY.isoformat(),
        "points": "14.5",
    }
    data.update(changes)
    return data


def test_correct_and_reapply_makes_a_draft_and_settles_the_record(exam, admin_client):
    record = _reject(exam, grade="VG", points="14.5")
    response = admin_client.post(_page(record), _correction(exam), follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    assert "The record is applied: it is now a draft result." in response.content.decode()
    result = Result.objects.get()
    assert (result.grade, result.source, result.annotations, result.reported_by) == (
        grade("G"),
        ResultSource.API,
        {"points": "14.5"},
        exam.world.study_admin,
    )
    record.refresh_from_db()
    assert (record.state, record.result) == (InboundState.APPLIED, result)
    # An applied record has nothing left to do: no forms.
    page = admin_client.get(_page(record))
    assert page.context.get("form") is None
    assert "Applied after correction" in page.content.decode()


def test_a_correction_still_wrong_shows_the_new_reason_and_changes_nothing(exam, admin_client):
    record = _reject(exam, grade="VG")
    tomorrow = (EXAM_DAY + datetime.timedelta(days=3)).isoformat()
    response = admin_client.post(_page(record), _correction(exam, examination_date=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The examination date cannot be in the future."
    ]
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED
    assert Result.objects.count() == 0


def test_a_correction_needs_exactly_one_key(exam, admin_client):
    record = _reject(exam, grade="VG")
    response = admin_client.post(_page(record), _correction(exam, identity_number="19990308-1234"))
    assert response.context["form"].non_field_errors() == [
        "Give either the anonymisation code or the personal identity number."
    ]
    assert Result.objects.count() == 0


def test_dismiss_with_a_reason(exam, admin_client):
    record = _reject(exam, grade="VG")
    response = admin_client.post(f"{_page(record)}dismiss/", {"note": "Test run"}, follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    record.refresh_from_db()
    assert (record.state, record.handled_by) == (InboundState.DISMISSED, exam.world.study_admin)
    html = admin_client.get(_page(record)).content.decode()
    assert "Why it was dismissed:</strong> Test run" in html


def test_dismiss_without_a_reason_changes_nothing(exam, admin_client):
    record = _reject(exam, grade="VG")
    response = admin_client.post(f"{_page(record)}dismiss/", {"note": ""})
    assert response.status_code == 200
    assert response.context["dismiss_form"].errors == {"note": ["This field is required."]}
    record.refresh_from_db()
    assert record.state == InboundState.REJECTED


def test_the_record_page_works_without_javascript(exam, admin_client):
    """Plain forms posting to plain URLs."""
    record = _reject(exam, grade="VG")
    html = admin_client.get(_page(record)).content.decode()
    assert f'<form method="post" action="{_page(record)}"' in html
    assert f'<form method="post" action="{_page(record)}dismiss/"' in html
    assert "<script" not in html.split("<main", 1)[-1]


# --- Exam-system clients ------------------------------------------------------------------------


def test_clients_are_listed(exam, admin_client):
    html = admin_client.get(CLIENTS).content.decode()
    assert "Exam system" in html
    assert exam.world.study_admin.display_name in html
    assert "Active" in html


@pytest.mark.parametrize("count", [1, 3])
def test_clients_page_costs_a_fixed_number_of_queries(
    exam, admin_client, institution, count, django_assert_num_queries
):
    from tests.factories.results import api_client

    for n in range(count - 1):
        api_client(institution, token=f"t{n}", acting_user=exam.world.reporter)
    with django_assert_num_queries(5):
        response = admin_client.get(CLIENTS)
    assert len(response.context["clients"]) == count


def test_create_client_shows_the_token_once_and_keeps_its_hash(exam, admin_client):
    choices = admin_client.get(NEW_CLIENT).context["form"].fields["acting_user"].queryset
    assert set(choices) == {
        exam.world.reporter,
        exam.world.examiner,
        exam.world.study_admin,
        exam.world.outsider,
    }
    response = admin_client.post(
        NEW_CLIENT,
        {"name_sv": "Inspera", "name_en": "Inspera", "acting_user": exam.world.study_admin.pk},
    )
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    token = response.context["token"]
    created = ApiClient.objects.get(name_en="Inspera")
    assert created.token_hash == hash_token(token)
    assert f"Authorization: Bearer {token}" in response.content.decode()
    # Never again: the list shows no token.
    assert token not in admin_client.get(CLIENTS).content.decode()
    assert post(exam.results_url, [exam.record(0)], token=token).json()["created"] == 1


def test_create_client_refuses_someone_without_a_reporting_right(exam, admin_client):
    stranger = UserFactory(username="stranger")
    response = admin_client.post(
        NEW_CLIENT, {"name_sv": "X", "name_en": "X", "acting_user": stranger.pk}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["acting_user"]
    assert ApiClient.objects.count() == 1


def test_deactivate_client(exam, admin_client):
    url = f"{CLIENTS}{exam.client.public_id}/deactivate/"
    response = admin_client.post(url, follow=True)
    assert response.redirect_chain == [(CLIENTS, 302)]
    assert "Exam system can no longer send results" in response.content.decode()
    assert not ApiClient.objects.get(pk=exam.client.pk).active
    assert post(exam.results_url, [exam.record(0)]).status_code == 401
    assert admin_client.get(url).status_code == 405
