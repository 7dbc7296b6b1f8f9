"""Report by file, the staff pages (T-REP-5, T-ROLE-1, B-6, G-1): upload, the preview of every
row, the all-or-nothing save as drafts from a single-use token, the template download, who may
reach them, a fixed number of queries whatever the file's length, and both languages."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from ladokportal import clock
from people import identity
from people.models import StaffRoleKind
from results.models import (
    AnnotationColumn,
    AnnotationKind,
    Result,
    ResultEvent,
    ResultSource,
    ResultState,
)
from results.services import reporting
from results.validation import Entry
from staffweb.results.file.views import PENDING
from tests.factories import StaffRoleFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory, grade, reporting_world

pytestmark = pytest.mark.django_db

# The preview's queries: session and user; the middleware's universities; the instance, rights
# and module; annotation columns (twice: the headings and check_entries); students, grades, open
# results, who waits for an anonymous exam's result (B-6), registrations; the session write
# (savepoint, update, release). Whatever the rows.
PREVIEW_QUERIES = 17


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def day(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def number(person) -> str:
    return identity.display(person.identity_number)


def csv_file(rows: list[list[str]], name: str = "grades.csv") -> SimpleUploadedFile:
    text = "\r\n".join(";".join(row) for row in rows) + "\r\n"
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def good_rows(people, code: str = "G") -> list[list[str]]:
    return [["personnummer", "namn", "betyg", "examinationsdatum"]] + [
        [number(p), p.full_name, code, day(-1).isoformat()] for p in people
    ]


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=3)


def page(world, module: str = "M1") -> str:
    return reverse("staff_results_file", args=[world.instance.public_id, module])


def save_url(world, module: str = "M1") -> str:
    return reverse("staff_results_file_save", args=[world.instance.public_id, module])


def template_url(world, module: str = "M1") -> str:
    return reverse("staff_results_file_template", args=[world.instance.public_id, module])


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no save form on the page"
    return match.group(1)


def upload(client, world, rows, session="", module="M1", name="grades.csv"):
    return client.post(page(world, module), {"file": csv_file(rows, name), "session": session})


# ------------------------------------------------------------------------------------------------
# Who may


def test_reporters_examiners_and_study_administrators_see_the_page(client_for, world):
    for user in (world.reporter, world.examiner, world.study_admin):
        response = client_for(user).get(page(world))
        assert response.status_code == 200
        assert "Report by file" in response.content.decode()
    assert client_for(world.reporter).get(page(world, "course")).status_code == 200


def _every_request(client, world):
    rows = good_rows(world.students)
    return [
        client.get(page(world)),
        client.post(page(world), {"file": csv_file(rows)}),
        client.post(save_url(world), {"token": "x"}),
        client.get(template_url(world), {"format": "csv"}),
    ]


def test_a_teacher_of_another_course_is_refused(client_for, world):
    responses = _every_request(client_for(world.outsider), world)
    assert [r.status_code for r in responses] == [403] * 4
    assert not Result.objects.exists()


def test_a_student_is_refused(client_for, world, student_user):
    responses = _every_request(client_for(student_user), world)
    assert [r.status_code for r in responses] == [403] * 4


def test_nobody_is_sent_to_the_login(world):
    responses = _every_request(Client(), world)
    assert [r.status_code for r in responses] == [302] * 4
    assert all(r.url.startswith("/accounts/login/") for r in responses)


def test_staff_of_another_university_get_not_found(client_for, world, other_institution):
    elsewhere = UserFactory(username="ulla")
    StaffRoleFactory(user=elsewhere, institution=other_institution, role=StaffRoleKind.REPORTER)
    StaffRoleFactory(user=elsewhere, institution=other_institution, role=StaffRoleKind.STUDY_ADMIN)
    responses = _every_request(client_for(elsewhere), world)
    assert [r.status_code for r in responses] == [404] * 4


def test_an_unknown_module_is_not_found(client_for, world):
    assert client_for(world.reporter).get(page(world, "NOPE")).status_code == 404


# ------------------------------------------------------------------------------------------------
# Upload, preview, save


def test_a_good_file_is_previewed_then_saved_as_drafts_from_a_file(client_for, world):
    client = client_for(world.reporter)
    response = upload(client, world, good_rows(world.students))
    html = response.content.decode()
    assert response.status_code == 200
    assert "All 3 rows of grades.csv can be saved: 3 new drafts, 0 changed drafts." in html
    assert world.students[0].full_name in html
    assert "Save as drafts" in html
    assert not Result.objects.exists()

    response = client.post(save_url(world), {"token": token_of(response)}, follow=True)
    assert "The file&#x27;s 3 rows are saved as drafts: 3 new, 0 changed, 0 unchanged." in (
        response.content.decode()
    )
    results = Result.objects.filter(course_instance=world.instance, module=world.module)
    assert {(r.person, r.state, r.source) for r in results} == {
        (s, ResultState.DRAFT, ResultSource.FILE) for s in world.students
    }
    assert list(
        ResultEvent.objects.order_by().values_list("source", "actor", "action").distinct()
    ) == [(ResultSource.FILE, world.reporter.pk, "reported")]


def test_a_file_with_one_wrong_row_is_rejected_as_a_whole(client_for, world):
    client = client_for(world.reporter)
    rows = good_rows(world.students)
    rows[2][2] = "VG"
    response = upload(client, world, rows)
    html = response.content.decode()
    assert "The file grades.csv is rejected: 1 of its 3 rows has errors. Nothing was saved." in html
    assert "Row 3" in html
    assert "The grade “VG” is not on this module&#x27;s grading scale." in html
    assert "Save as drafts" not in html
    assert not client.session.get(PENDING)
    assert not Result.objects.exists()
    assert not ResultEvent.objects.exists()


def test_another_file_type_is_refused_with_a_message(client_for, world):
    response = upload(client_for(world.reporter), world, good_rows(world.students), name="g.pdf")
    assert response.status_code == 200
    assert "“g.pdf” is not an xlsx or CSV file." in response.content.decode()
    assert not Result.objects.exists()


def test_a_file_over_two_megabytes_is_refused(client_for, world):
    big = SimpleUploadedFile("g.csv", b"a" * (2 * 1024 * 1024 + 1), content_type="text/csv")
    response = client_for(world.reporter).post(page(world), {"file": big})
    assert "The file is larger than 2 MB." in response.content.decode()


def test_a_token_is_single_use(client_for, world):
    client = client_for(world.reporter)
    token = token_of(upload(client, world, good_rows(world.students)))
    client.post(save_url(world), {"token": token})
    response = client.post(save_url(world), {"token": token}, follow=True)
    assert "This preview can no longer be saved" in response.content.decode()
    assert Result.objects.count() == 3
    assert ResultEvent.objects.count() == 3


def test_a_token_from_another_module_is_refused(client_for, world):
    client = client_for(world.reporter)
    token = token_of(upload(client, world, good_rows(world.students)))
    response = client.post(save_url(world, "M2"), {"token": token}, follow=True)
    assert "This preview can no longer be saved" in response.content.decode()
    assert not Result.objects.exists()


def test_an_open_draft_is_updated_and_a_change_since_the_preview_refuses_the_save(
    client_for, world
):
    client = client_for(world.reporter)
    draft = ResultFactory(
        course_instance=world.instance, module=world.module, person=world.students[0]
    )
    response = upload(client, world, good_rows(world.students, code="U"))
    assert "Changes the draft (G, " in response.content.decode()
    # A colleague changes the draft on the report page meanwhile.
    reporting.save_drafts(
        world.examiner,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(
                person=draft.person,
                grade=grade("G"),
                examination_date=day(-5),
                result=draft,
                version=draft.version,
            )
        ],
    )
    response = client.post(save_url(world), {"token": token_of(response)}, follow=True)
    html = response.content.decode()
    assert f"Someone changed the results of {draft.person.full_name} after the file" in html
    assert Result.objects.count() == 1
    draft.refresh_from_db()
    assert (draft.grade.code, draft.examination_date) == ("G", day(-5))


def test_a_draft_reported_since_the_preview_refuses_the_save(client_for, world):
    client = client_for(world.reporter)
    token = token_of(upload(client, world, good_rows(world.students)))
    ResultFactory(course_instance=world.instance, module=world.module, person=world.students[1])
    response = client.post(save_url(world), {"token": token}, follow=True)
    assert "after the file was checked. Nothing was saved" in response.content.decode()
    assert Result.objects.count() == 1


def test_a_result_marked_ready_is_refused(client_for, world):
    draft = ResultFactory(
        course_instance=world.instance, module=world.module, person=world.students[0]
    )
    reporting.mark_ready(
        world.reporter, results=[draft], graded_by=world.reporter, notify=world.examiner
    )
    response = upload(client_for(world.reporter), world, good_rows(world.students))
    html = response.content.decode()
    assert "The result is marked as ready; change it on the report page instead." in html
    assert "rejected" in html


# ------------------------------------------------------------------------------------------------
# Anonymous exams (B-6)


@pytest.fixture
def anonymous(world):
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        course_instances=[world.instance],
        anonymous=True,
        label="TEN1",
    )
    for n, person in enumerate(world.students):
        # Names no page text can contain by chance (a drawn "Page" or "Ann" would), so that
        # _no_person_in finds a name only when a page shows it.
        person.first_name, person.last_name = f"Zebulonia{n}", f"Quixtrelle{n}"
        person.save(update_fields=["first_name", "last_name"])
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-CODE{n}")
    return session


def _code_rows(world):
    return [["anonymiseringskod", "betyg", "examinationsdatum"]] + [
        [f"TEN1-CODE{n}", "G", day(-1).isoformat()] for n in range(len(world.students))
    ]


def _no_person_in(text: str, world) -> None:
    for person in world.students:
        for value in (
            person.first_name,
            person.last_name,
            person.identity_number,
            person.display_identifier,
            person.masked_identifier,
            str(person.public_id),
        ):
            assert value not in text


def test_the_preview_of_a_file_of_codes_shows_codes_only(client_for, world, anonymous):
    client = client_for(world.reporter)
    rows = _code_rows(world)
    rows.append(["TEN1-CODE0", "G", day(-1).isoformat()])  # a duplicate: rejected, still no name
    html = upload(client, world, rows, session=str(anonymous.public_id)).content.decode()
    assert "TEN1-CODE0" in html
    assert "This student appears more than once." in html
    _no_person_in(html, world)
    html = upload(
        client, world, _code_rows(world), session=str(anonymous.public_id)
    ).content.decode()
    assert "Save as drafts" in html
    _no_person_in(html, world)


def test_a_file_of_codes_saves_drafts_on_the_session(client_for, world, anonymous):
    client = client_for(world.reporter)
    response = upload(client, world, _code_rows(world), session=str(anonymous.public_id))
    response = client.post(save_url(world), {"token": token_of(response)}, follow=True)
    _no_person_in(response.content.decode(), world)
    assert set(Result.objects.values_list("activity_session", "source")) == {
        (anonymous.pk, ResultSource.FILE)
    }


def test_a_stale_file_of_codes_is_refused_without_names(client_for, world, anonymous):
    client = client_for(world.reporter)
    response = upload(client, world, _code_rows(world), session=str(anonymous.public_id))
    draft = ResultFactory(
        course_instance=world.instance, module=world.module, person=world.students[0]
    )
    del draft
    html = client.post(save_url(world), {"token": token_of(response)}, follow=True).content.decode()
    assert "Someone changed results of these students after the file was checked." in html
    _no_person_in(html, world)
    assert Result.objects.count() == 1


def test_a_file_of_codes_without_the_session_is_refused(client_for, world, anonymous):
    response = upload(client_for(world.reporter), world, _code_rows(world))
    assert "needs the anonymous session the codes belong to" in response.content.decode()


# ------------------------------------------------------------------------------------------------
# The template


def test_the_template_has_the_module_columns_and_the_registered_students(client_for, world):
    from openpyxl import load_workbook

    AnnotationColumn.objects.create(
        institution=world.instance.institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    response = client_for(world.reporter).get(template_url(world), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("identity_number", "name", "grade", "date", "points")
    assert {row[0] for row in rows[1:]} == {number(s) for s in world.students}


def test_the_template_of_an_anonymous_session_has_codes_only(client_for, world, anonymous):
    client = client_for(world.reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.get(
        template_url(world), {"format": "csv", "session": str(anonymous.public_id)}
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "anonymiseringskod;betyg;examinationsdatum",
        "TEN1-CODE0;;",
        "TEN1-CODE1;;",
        "TEN1-CODE2;;",
    ]


def test_the_template_refuses_an_unknown_format(client_for, world):
    response = client_for(world.reporter).get(template_url(world), {"format": "pdf"})
    assert response.status_code == 400


# ------------------------------------------------------------------------------------------------
# Queries and languages


@pytest.mark.parametrize("size", [5, 100])
def test_the_preview_costs_the_same_queries_for_5_or_100_rows(
    client_for, institution, size, django_assert_num_queries
):
    world = reporting_world(institution, students=size)
    ResultFactory(course_instance=world.instance, module=world.module, person=world.students[0])
    client = client_for(world.reporter)
    client.get(page(world))  # the session exists before the measured request
    rows = good_rows(world.students)
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = upload(client, world, rows)
    assert f"All {size} rows of grades.csv can be saved" in response.content.decode()


def _sv(message: str) -> str:
    with translation.override("sv"):
        swedish = translation.gettext(message)
    assert swedish != message, f"no Swedish for {message!r}"
    return escape(swedish)


def test_the_preview_in_english_and_in_swedish(client_for, world):
    client = client_for(world.reporter)
    html = upload(client, world, good_rows(world.students)).content.decode()
    assert '<html lang="en">' in html
    assert "Check the file" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = upload(client, world, good_rows(world.students)).content.decode()
    assert '<html lang="sv">' in html
    for text in ("Check the file", "Save as drafts", "New draft", "Outcome"):
        assert _sv(text) in html
        assert text not in html
    rows = good_rows(world.students)
    rows[1][3] = "someday"
    html = upload(client, world, rows).content.decode()
    assert "someday" in html
    assert "is not a date" not in html


def test_the_upload_page_and_the_template_cost_the_same_queries_at_any_size(
    client_for, institution
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 100):
        world = reporting_world(institution, students=size)
        ActivitySessionFactory(institution=institution, course_instances=[world.instance])
        client = client_for(world.reporter)
        client.get(page(world))  # the session exists before the measured requests
        with CaptureQueriesContext(connection) as upload_page:
            assert client.get(page(world)).status_code == 200
        with CaptureQueriesContext(connection) as template:
            response = client.get(template_url(world), {"format": "csv"})
        assert len(response.content.decode("utf-8-sig").splitlines()) == size + 1
        counts.append((len(upload_page), len(template)))
    assert counts[0] == counts[1]
