"""The staff Report pages (Rapportera; T-REP-1..4, T-REP-2, T-ROLE-1, B-6, B-8): the course
instances a person may report on, the module choice with annotation columns, and the report
sheet with Save, Mark as ready, Un-mark, Discard and Add a student by number. Every page tried
as a reporter, as a teacher of another course (404), as staff without a reporting right (403),
as staff of another university (404), as a student and as nobody.

The report-by-code and points-to-grades pages: tests/staffweb/test_report_session_pages.py.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from catalog.grading import SCALE_U345
from ladokportal import clock
from notifications.models import Notification, NotificationKind
from people.models import Person, StaffRoleKind
from results.models import (
    AnnotationColumn,
    AnnotationKind,
    GradeThreshold,
    Result,
    ResultAction,
    ResultEvent,
    ResultState,
)
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import (
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    valid_identity_number,
)
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory, grade, register, reporting_world
from tests.staffweb.report_helpers import alert_text, form_data, key, sheet_rows

pytestmark = pytest.mark.django_db

S = ResultState
LIST = "/staff/results/"


@pytest.fixture(autouse=True)
def _english():
    """Messages and headings are compared word for word."""
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


@pytest.fixture
def world(institution):
    w = reporting_world(institution, students=3, modules=2)
    names = [("Anna", "Andersson"), ("Bo", "Berg"), ("Cecilia", "Carlsson")]
    for person, (first, last) in zip(w.students, names, strict=True):
        person.first_name, person.last_name = first, last
        person.save()
    return w


def page(world) -> str:
    return f"/staff/results/{world.instance.public_id}/"


def sheet(world, target: str | None = None) -> str:
    return f"{page(world)}{target or world.module.code}/"


def report(world, *people, code: str = "G", module=None, **extra) -> list[Result]:
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=module if module is not None else world.module,
        entries=[
            Entry(person=p, grade=grade(code), examination_date=days(-2), **extra) for p in people
        ],
    )
    return list(Result.objects.filter(person__in=people, state=S.DRAFT).order_by("person_id"))


def certify(world, *people, module=None) -> list[Result]:
    drafts = report(world, *people, module=module)
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    return certifying.certify(world.examiner, results=ready)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who gets in ---------------------------------------------------------------------------------


def _urls(world) -> dict[str, str]:
    draft = report(world, world.students[0])[0]
    return {
        "list": LIST,
        "instance": page(world),
        "sheet": sheet(world),
        "course": sheet(world, "course"),
        "discard": f"{sheet(world)}discard/{draft.public_id}/",
    }


POSTS = ["columns/", "columns/remove/", "M1/", "M1/ready/", "M1/unmark/", "M1/find/"]


def test_nobody_is_sent_to_the_login(world, client):
    for url in _urls(world).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for suffix in POSTS:
        assert client.post(page(world) + suffix, {"q": "x"}).status_code == 302


def test_a_student_is_refused(world, client_for):
    student = UserFactory(username="stud", person=world.students[0])
    client = client_for(student)
    for url in _urls(world).values():
        assert client.get(url).status_code == 403


def test_staff_without_a_reporting_right_get_403(world, institution, client_for):
    admin = UserFactory(username="sysadm")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.SYSTEM_ADMIN)
    client = client_for(admin)
    for url in _urls(world).values():
        assert client.get(url).status_code == 403
    for suffix in POSTS:
        assert client.post(page(world) + suffix, {"kind": "points"}).status_code == 403


def test_a_teacher_of_another_course_gets_403_even_by_hand_typed_url(world, client_for):
    """Staff of the university without the right on this course: 403, as on the file report
    and the Certify pages (a 404 is for another university's course or none at all)."""
    urls = _urls(world)
    client = client_for(world.outsider)
    assert client.get(urls.pop("list")).status_code == 200
    for url in urls.values():
        assert client.get(url).status_code == 403
    key0 = key(world.students[1])
    posts = {
        "columns/": {"target": "M1", "kind": "points", "shown_to_student": "on"},
        "M1/": {f"{key0}-grade": "G", f"{key0}-date": days(-1).isoformat()},
        "M1/ready/": {"all": "on", "graded_by": world.outsider.pk, "notify": world.outsider.pk},
        "M1/find/": {"number": world.students[2].identity_number},
    }
    for suffix, data in posts.items():
        assert client.post(page(world) + suffix, data).status_code == 403
    assert client.post(urls["discard"]).status_code == 403
    assert AnnotationColumn.objects.count() == 0
    assert list(Result.objects.values_list("state", flat=True)) == [S.DRAFT]


def test_staff_of_another_university_get_404(world, other_institution, client_for):
    teacher = UserFactory(username="uu-teacher")
    StaffRoleFactory(user=teacher, institution=other_institution, role=StaffRoleKind.CERTIFIER)
    urls = _urls(world)
    client = client_for(teacher)
    assert client.get(urls.pop("list")).status_code == 200
    for url in urls.values():
        assert client.get(url).status_code == 404
    key0 = key(world.students[1])
    response = client.post(sheet(world), {f"{key0}-grade": "G", f"{key0}-date": "2020-01-01"})
    assert response.status_code == 404
    assert Result.objects.count() == 1


# --- The list of course instances -----------------------------------------------------------------


def test_list_shows_reportable_instances_newest_first_with_counts(world, institution, client_for):
    older = CourseInstanceFactory(
        course=world.instance.course,
        instance_code="OLD01",
        start_date=days(-400),
        end_date=days(-300),
    )
    report(world, *world.students[:2])
    drafts = report(world, world.students[2], module=world.modules[1])
    reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    CourseInstanceFactory(course__institution=institution)  # no right on it
    response = client_for(world.reporter).get(LIST)
    rows = re.findall(
        r'<tr>\s*<th scope="row"><a href="/staff/results/([0-9a-f-]+)/">[^<]+</a></th>\s*'
        r'<td data-label="Instance">([^<]+)</td>.*?'
        r'<td data-label="Drafts">(\d+)</td>\s*<td data-label="Marked as ready">(\d+)</td>',
        response.text,
        re.S,
    )
    assert rows == [
        (str(world.instance.public_id), world.instance.instance_code, "2", "1"),
        (str(older.public_id), "OLD01", "0", "0"),
    ]


def test_list_search_by_code_or_name(world, institution, client_for):
    admin = world.study_admin  # reports on every course of the university
    CourseInstanceFactory(course__institution=institution, course__code="MATA21")
    CourseInstanceFactory(
        course__institution=institution, course__code="FYSA01", course__name_en="Mechanics"
    )
    client = client_for(admin)

    def codes(q: str) -> list[str]:
        html = client.get(LIST, {"q": q}).text
        return re.findall(r'/">([A-Z]+\d+) ', html)

    assert codes("mata") == ["MATA21"]
    assert codes("mechan") == ["FYSA01"]
    assert "No course instance matches “nothing”." in client.get(LIST, {"q": "nothing"}).text


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    world, institution, client_for, django_assert_num_queries, count
):
    for _ in range(count):
        extra = CourseInstanceFactory(course__institution=institution)
        ResultFactory(course_instance=extra, module=None)
    client = client_for(world.study_admin)
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == count + 2


# --- The module choice and annotation columns (T-REP-2) -------------------------------------------


def test_instance_page_links_every_module_the_course_grade_and_sessions(world, client_for):
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        label="TEN1",
        anonymous=True,
        course_instances=[world.instance],
    )
    session.modules.add(world.module)
    report(world, world.students[0])
    html = client_for(world.reporter).get(page(world)).text
    links = re.findall(r'href="(/staff/results/[^"]+)"', html)
    files = f"/staff/results/file/{world.instance.public_id}/"
    assert links == [
        f"{page(world)}M1/",
        f"{files}M1/",
        f"{page(world)}M2/",
        f"{files}M2/",
        f"{page(world)}course/",
        f"{files}course/",
        f"/staff/results/sessions/{session.public_id}/report/",
        f"/staff/results/sessions/{session.public_id}/thresholds/",
    ]
    assert "1 draft" in html


def test_reporter_adds_and_removes_a_column(world, client_for):
    client = client_for(world.reporter)
    response = client.post(
        page(world) + "columns/", {"target": "M1", "kind": "points", "shown_to_student": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == page(world) + "#columns"
    assert messages_of(client.get(page(world))) == ["The column “Examination points” is added."]
    column = AnnotationColumn.objects.get()
    assert (column.module, column.kind, column.shown_to_student) == (
        world.module,
        AnnotationKind.POINTS,
        False,
    )
    again = client.post(page(world) + "columns/", {"target": "M1", "kind": "points"}, follow=True)
    assert messages_of(again) == ["There already is a column “Examination points” there."]
    client.post(
        page(world) + "columns/", {"target": "course", "kind": "title", "shown_to_student": "on"}
    )
    assert AnnotationColumn.objects.filter(module=None, kind="title").count() == 1
    html = client.get(page(world)).text
    assert html.count('name="kind" value="points"') == 1
    removed = client.post(
        page(world) + "columns/remove/", {"target": "M1", "kind": "points"}, follow=True
    )
    assert messages_of(removed) == ["The column is removed. Values already reported are kept."]
    assert list(AnnotationColumn.objects.values_list("kind", flat=True)) == ["title"]


def test_a_column_on_a_module_of_another_course_is_not_found(world, client_for):
    response = client_for(world.reporter).post(
        page(world) + "columns/", {"target": "NOPE", "kind": "points"}
    )
    assert response.status_code == 302
    assert AnnotationColumn.objects.count() == 0


# --- The report sheet -----------------------------------------------------------------------------


def test_sheet_lists_participants_with_masked_numbers_and_states(world, institution, client_for):
    anna, bo, cecilia = world.students
    certify(world, anna)
    report(world, bo)
    # Someone with a result here but not registered here shows too; a stranger does not.
    visitor = PersonFactory(first_name="Dan", last_name="Dahl")
    register(visitor, CourseInstanceFactory(course=world.instance.course))
    report(world, visitor)
    PersonFactory(first_name="Eva", last_name="Ek")
    html = client_for(world.reporter).get(sheet(world)).text
    assert sheet_rows(html) == [
        (
            "Anna Andersson",
            anna.masked_identifier,
            f"G ({days(-2)}) Timeline",
            "",
            "",
            "Certified",
            "",
        ),
        ("Bo Berg", bo.masked_identifier, "–", "", "", "Draft Timeline Discard", ""),
        ("Cecilia Carlsson", cecilia.masked_identifier, "–", "", "", "Not reported", ""),
        ("Dan Dahl", visitor.masked_identifier, "–", "", "", "Draft Timeline Discard", ""),
    ]
    for person in (anna, bo, cecilia):
        assert person.identity_number not in html
        assert person.identity_number[:8] + "-" + person.identity_number[8:] not in html
    # The saved draft's grade is selected, with its date; hidden inputs carry id and version.
    draft = Result.objects.get(person=bo)
    data = form_data(html, "report-form")
    assert data[f"{key(bo)}-grade"] == "G"
    assert data[f"{key(bo)}-date"] == days(-2).isoformat()
    # One hidden input carries the open result's public id, its version and what was shown.
    assert data[f"{key(bo)}-state"].split(".")[:2] == [draft.public_id.hex, str(draft.version)]
    assert data[f"{key(cecilia)}-grade"] == ""
    assert data[f"{key(anna)}-state"].startswith("..")  # a new result (re-take) may be reported


def test_save_stores_only_filled_rows(world, client_for):
    anna, bo, cecilia = world.students
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    data = form_data(
        html,
        "report-form",
        **{
            f"{key(anna)}-grade": "G",
            f"{key(anna)}-date": days(-1).isoformat(),
            f"{key(bo)}-grade": "U",
            f"{key(bo)}-date": days(-1).isoformat(),
            f"{key(cecilia)}-date": days(-1).isoformat(),  # a date alone is no row
        },
    )
    response = client.post(sheet(world), data, follow=True)
    assert messages_of(response) == ["Saved as drafts: 2 new, 0 changed."]
    saved = Result.objects.order_by("person__last_name")
    assert [(r.person, r.grade.code, r.state, r.source) for r in saved] == [
        (anna, "G", S.DRAFT, "page"),
        (bo, "U", S.DRAFT, "page"),
    ]
    assert [r.reported_by for r in saved] == [world.reporter, world.reporter]


def test_save_changes_an_open_row_and_leaves_the_others_alone(world, client_for):
    anna, bo, _cecilia = world.students
    report(world, anna, bo)
    client = client_for(world.reporter)
    data = form_data(client.get(sheet(world)).text, "report-form", **{f"{key(bo)}-grade": "U"})
    response = client.post(sheet(world), data, follow=True)
    assert messages_of(response) == ["Saved as drafts: 0 new, 1 changed."]
    assert ResultEvent.objects.filter(action=ResultAction.EDITED).count() == 1
    assert Result.objects.get(person=bo).grade.code == "U"
    assert Result.objects.get(person=anna).version == 1


def test_a_result_marked_ready_can_still_be_changed_and_stays_ready(world, client_for):
    """T-REP-3: the reporter may change grade or date of a ready result."""
    anna, *_ = world.students
    drafts = report(world, anna)
    reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    assert sheet_rows(html)[0][-2] == "Marked as ready Timeline"
    response = client.post(
        sheet(world), form_data(html, "report-form", **{f"{key(anna)}-grade": "U"}), follow=True
    )
    ready = Result.objects.get(person=anna)
    assert (ready.state, ready.grade.code, ready.ready_grade.code) == (S.READY, "U", "G")
    # #12 point 6: not "Saved as drafts" for a result that stays marked as ready.
    assert messages_of(response) == ["Saved: 0 new, 1 changed; 1 of them stays marked as ready."]


def test_nothing_filled_saves_nothing(world, client_for):
    client = client_for(world.reporter)
    data = form_data(client.get(sheet(world)).text, "report-form")
    response = client.post(sheet(world), data, follow=True)
    assert messages_of(response) == ["Nothing to save: no grade was entered or changed."]
    assert Result.objects.count() == 0


def test_default_date_fills_new_rows_without_one(world, client_for):
    anna, bo, _c = world.students
    client = client_for(world.reporter)
    data = form_data(
        client.get(sheet(world)).text,
        "report-form",
        default_date=days(-5).isoformat(),
        **{
            f"{key(anna)}-grade": "G",
            f"{key(bo)}-grade": "G",
            f"{key(bo)}-date": days(-1).isoformat(),
        },
    )
    client.post(sheet(world), data)
    assert dict(Result.objects.values_list("person__first_name", "examination_date")) == {
        "Anna": days(-5),
        "Bo": days(-1),
    }


def test_wrong_rows_are_shown_again_with_their_errors_and_nothing_is_saved(world, client_for):
    anna, bo, cecilia = world.students
    client = client_for(world.reporter)
    data = form_data(
        client.get(sheet(world)).text,
        "report-form",
        **{
            f"{key(anna)}-grade": "G",
            f"{key(anna)}-date": days(-1).isoformat(),
            f"{key(bo)}-grade": "G",
            f"{key(bo)}-date": days(3).isoformat(),
            f"{key(cecilia)}-grade": "G",
            f"{key(cecilia)}-date": "31/12",
        },
    )
    response = client.post(sheet(world), data)
    assert response.status_code == 200
    assert Result.objects.count() == 0
    html = response.text
    assert alert_text(html) == (
        "Nothing was saved. Please correct the following: "
        "Bo Berg: The examination date cannot be in the future. "
        "Cecilia Carlsson: Enter the date as YYYY-MM-DD."
    )
    assert f'href="#{key(bo)}-grade"' in html
    kept = form_data(html, "report-form")
    assert kept[f"{key(anna)}-date"] == days(-1).isoformat()
    assert kept[f"{key(bo)}-date"] == days(3).isoformat()
    assert kept[f"{key(cecilia)}-date"] == "31/12"
    assert kept[f"{key(cecilia)}-grade"] == "G"
    assert f'aria-describedby="{key(bo)}-errors"' in html


def test_service_refusal_keeps_the_input(world, client_for):
    """A grade outside the scale comes from a hand-made POST; the service's check is shown."""
    anna, *_ = world.students
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    outsider = PersonFactory()
    response = client.post(
        sheet(world),
        form_data(
            html,
            "report-form",
            **{f"{key(anna)}-grade": "G", f"{key(anna)}-date": (days(-60)).isoformat()},
        ),
    )
    assert "cannot be before the course instance started" in alert_text(response.text)
    assert Result.objects.count() == 0
    assert outsider.full_name not in response.text


def test_a_change_meanwhile_is_refused_with_the_students_name(world, client_for):
    anna, bo, _c = world.students
    report(world, anna)
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    # A colleague changes Anna's draft and reports Bo after the page was loaded.
    draft = Result.objects.get(person=anna)
    reporting.correct(
        world.examiner,
        result=draft,
        entry=Entry(person=anna, grade=grade("U"), examination_date=days(-2)),
    )
    report(world, bo)
    data = form_data(
        html,
        "report-form",
        **{
            f"{key(anna)}-date": days(-3).isoformat(),
            f"{key(bo)}-grade": "G",
            f"{key(bo)}-date": days(-3).isoformat(),
        },
    )
    response = client.post(sheet(world), data)
    assert alert_text(response.text) == (
        "Someone else reported or changed results of these students after you opened the page: "
        "Bo Berg. Nothing was saved; reload the page to see their change."
    )
    assert Result.objects.get(person=bo).examination_date == days(-2)
    # Without Bo's row, Anna's stale version is refused by the service, named too.
    data.pop(f"{key(bo)}-grade")
    response = client.post(sheet(world), data)
    assert "Anna Andersson" in alert_text(response.text)
    assert form_data(response.text, "report-form")[f"{key(anna)}-date"] == days(-3).isoformat()
    assert Result.objects.get(person=anna).grade.code == "U"


def test_an_untouched_row_changed_by_someone_else_does_not_block_a_save(world, client_for):
    anna, bo, _c = world.students
    report(world, anna)
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    draft = Result.objects.get(person=anna)
    reporting.correct(
        world.examiner,
        result=draft,
        entry=Entry(person=anna, grade=grade("U"), examination_date=days(-2)),
    )
    data = form_data(
        html,
        "report-form",
        **{f"{key(bo)}-grade": "G", f"{key(bo)}-date": days(-1).isoformat()},
    )
    response = client.post(sheet(world), data, follow=True)
    assert messages_of(response) == ["Saved as drafts: 1 new, 0 changed."]
    assert Result.objects.get(person=anna).grade.code == "U"


def test_a_certified_result_is_read_only_and_a_retake_is_a_new_result(world, client_for):
    anna, *_ = world.students
    certified = certify(world, anna)[0]
    client = client_for(world.reporter)
    data = form_data(
        client.get(sheet(world)).text,
        "report-form",
        **{f"{key(anna)}-grade": "U", f"{key(anna)}-date": days(-1).isoformat()},
    )
    client.post(sheet(world), data)
    certified.refresh_from_db()
    assert (certified.state, certified.grade.code) == (S.CERTIFIED, "G")
    retake = Result.objects.get(person=anna, state=S.DRAFT)
    assert retake.grade.code == "U"
    rows = sheet_rows(client.get(sheet(world)).text)
    assert rows[0][2:] == (f"G ({days(-2)}) Timeline", "", "", "Draft Timeline Discard", "")


def test_a_result_reported_by_code_shows_no_grade_and_cannot_be_edited(world, client_for):
    """B-6: next to a name, an uncertified result of an anonymous session shows nothing of
    itself; a POST for that row is ignored."""
    anna, bo, _c = world.students
    session = ActivitySessionFactory(
        institution=world.instance.institution, anonymous=True, course_instances=[world.instance]
    )
    session.modules.add(world.module)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(
                person=anna,
                grade=grade("U"),
                examination_date=days(-4),
                annotations={},
            )
        ],
        activity_session=session,
    )
    anonymous = Result.objects.get(person=anna)
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    assert sheet_rows(html)[0] == (
        "Anna Andersson",
        anna.masked_identifier,
        "–",
        "Reported by anonymisation code: shown here once certified.",
        "Reported by code",
        "",
    )
    assert anonymous.public_id.hex not in html
    assert str(anonymous.public_id) not in html
    assert days(-4).isoformat() not in html
    assert f"{key(anna)}-grade" not in html
    forged = {
        f"{key(anna)}-grade": "G",
        f"{key(anna)}-date": days(-1).isoformat(),
        f"{key(anna)}-state": f"{anonymous.public_id.hex}.1.0123456789abcdef",
        f"{key(bo)}-grade": "G",
        f"{key(bo)}-date": days(-1).isoformat(),
    }
    client.post(sheet(world), forged)
    anonymous.refresh_from_db()
    assert (anonymous.grade.code, anonymous.version) == ("U", 1)
    assert Result.objects.get(person=bo).grade.code == "G"
    # Nor can it be marked ready or discarded from the name sheet.
    client.post(
        sheet(world) + "ready/",
        {
            "ready": f"{anonymous.public_id.hex}.1",
            "graded_by": world.reporter.pk,
            "notify": world.examiner.pk,
        },
    )
    assert client.get(f"{sheet(world)}discard/{anonymous.public_id}/").status_code == 404
    anonymous.refresh_from_db()
    assert anonymous.state == S.DRAFT


# --- Mark as ready, un-mark, discard (T-REP-3) ----------------------------------------------------


def test_mark_ticked_drafts_ready_notifies_the_examiner(world, client_for):
    anna, bo, cecilia = world.students
    drafts = report(world, anna, bo, cecilia)
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    ready = form_data(html, "ready-form")
    # The only examiner is preselected; the reporter is the grading teacher.
    assert ready["notify"] == str(world.examiner.pk)
    assert ready["graded_by"] == str(world.reporter.pk)
    ticks = [f"{r.public_id.hex}.{r.version}" for r in drafts[:2]]
    response = client.post(sheet(world) + "ready/", {**ready, "ready": ticks}, follow=True)
    assert messages_of(response) == [
        "2 results are marked as ready for certification. "
        f"{world.examiner.display_name} is notified by e-mail."
    ]
    states = dict(Result.objects.values_list("person__first_name", "state"))
    assert states == {"Anna": S.READY, "Bo": S.READY, "Cecilia": S.DRAFT}
    marked = Result.objects.get(person=anna)
    assert (marked.graded_by, marked.notify) == (world.reporter, world.examiner)
    notice = Notification.objects.get(kind=NotificationKind.RESULTS_READY)
    assert (notice.user, notice.context["count"]) == (world.examiner, 2)


def test_mark_all_drafts_ready_without_ticks(world, client_for):
    report(world, *world.students)
    client = client_for(world.reporter)
    ready = form_data(client.get(sheet(world)).text, "ready-form", all="on")
    client.post(sheet(world) + "ready/", ready)
    assert set(Result.objects.values_list("state", flat=True)) == {S.READY}


def test_mark_ready_needs_a_tick_and_a_grading_teacher(world, client_for):
    report(world, *world.students)
    client = client_for(world.reporter)
    ready = form_data(client.get(sheet(world)).text, "ready-form")
    response = client.post(sheet(world) + "ready/", ready, follow=True)
    assert messages_of(response) == ["Tick at least one draft to mark as ready."]
    response = client.post(sheet(world) + "ready/", {**ready, "graded_by": ""}, follow=True)
    assert messages_of(response) == ["This field is required."]
    outsider = client.post(
        sheet(world) + "ready/", {**ready, "all": "on", "graded_by": world.outsider.pk}, follow=True
    )
    assert messages_of(outsider) == [
        f"Select a valid choice. {world.outsider.pk} is not one of the available choices."
    ]
    assert set(Result.objects.values_list("state", flat=True)) == {S.DRAFT}


def test_mark_ready_refuses_a_draft_changed_since_the_page(world, client_for):
    anna, *_ = world.students
    draft = report(world, anna)[0]
    client = client_for(world.reporter)
    ready = form_data(client.get(sheet(world)).text, "ready-form")
    reporting.correct(
        world.examiner,
        result=draft,
        entry=Entry(person=anna, grade=grade("U"), examination_date=days(-2)),
    )
    response = client.post(
        sheet(world) + "ready/", {**ready, "ready": f"{draft.public_id.hex}.1"}, follow=True
    )
    assert "Anna Andersson" in messages_of(response)[0]
    assert Result.objects.get().state == S.DRAFT


def test_the_notify_choice_lists_the_examiners(world, institution, client_for):
    second = UserFactory(username="ex2", first_name="Second", last_name="Examiner")
    StaffRoleFactory(
        user=second,
        institution=institution,
        role=StaffRoleKind.CERTIFIER,
        course=world.instance.course,
    )
    report(world, world.students[0])
    html = client_for(world.reporter).get(sheet(world)).text
    notify = re.search(r'<select name="notify".*?</select>', html, re.S).group(0)
    # By last name: Examiner before Staff.
    assert re.findall(r">([^<]+)</option>", notify) == [
        "Choose the examiner",
        "Second Examiner",
        world.examiner.display_name,
    ]


def test_unmark_sends_ticked_results_back_to_draft(world, client_for):
    drafts = report(world, *world.students)
    reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    client = client_for(world.reporter)
    html = client.get(sheet(world)).text
    ready = Result.objects.get(person=world.students[0])
    assert f'value="{ready.public_id.hex}.{ready.version}"' in html
    response = client.post(
        sheet(world) + "unmark/",
        {"unmark": [f"{ready.public_id.hex}.{ready.version}"]},
        follow=True,
    )
    assert messages_of(response) == ["1 result is a draft again."]
    assert sorted(Result.objects.values_list("state", flat=True)) == [S.DRAFT, S.READY, S.READY]


def test_discard_asks_then_discards(world, client_for):
    draft = report(world, world.students[0])[0]
    client = client_for(world.reporter)
    url = f"{sheet(world)}discard/{draft.public_id}/"
    confirm = client.get(url)
    assert "Discard the draft G of" in confirm.text
    assert Result.objects.get().state == S.DRAFT
    response = client.post(url, {"version": draft.version}, follow=True)
    assert messages_of(response) == ["The draft of Anna Andersson is discarded."]
    draft.refresh_from_db()
    assert draft.state == S.REMOVED
    assert client.get(url).status_code == 404


# --- T-REP-4: a student missing from the list -----------------------------------------------------


def test_a_student_of_an_earlier_instance_is_added_by_number(world, client_for):
    earlier = CourseInstanceFactory(
        course=world.instance.course, start_date=days(-400), end_date=days(-300)
    )
    CourseInstancePeriodFactory(course_instance=earlier)
    birth = datetime.date(1998, 5, 17)
    returning = PersonFactory(
        first_name="Greta",
        last_name="Gran",
        birth_date=birth,
        identity_number=valid_identity_number(birth, 417),
    )
    register(returning, earlier)
    client = client_for(world.reporter)
    assert "Greta Gran" not in client.get(sheet(world)).text
    number = returning.identity_number
    response = client.post(sheet(world) + "find/", {"number": f"{number[:8]}-{number[8:]}"})
    assert response.status_code == 302
    assert response["Location"] == f"{sheet(world)}#row-{key(returning)}"
    assert number[:8] not in response["Location"]
    html = client.get(sheet(world)).text
    assert [r[0] for r in sheet_rows(html)] == [
        "Anna Andersson",
        "Bo Berg",
        "Cecilia Carlsson",
        "Greta Gran",
    ]
    # The added student stays on the sheet of every module of the instance, and can be reported.
    data = form_data(
        client.get(sheet(world, "M2")).text,
        "report-form",
        **{f"{key(returning)}-grade": "G", f"{key(returning)}-date": days(-1).isoformat()},
    )
    client.post(sheet(world, "M2"), data)
    assert Result.objects.get(person=returning).module == world.modules[1]


def test_someone_never_on_the_course_is_not_added(world, client_for):
    birth = datetime.date(1997, 1, 2)
    stranger = PersonFactory(birth_date=birth, identity_number=valid_identity_number(birth, 555))
    client = client_for(world.reporter)
    response = client.post(
        sheet(world) + "find/", {"number": stranger.identity_number}, follow=True
    )
    code = world.instance.course.code
    assert messages_of(response) == [
        f"No student with that number is or has been registered on {code}."
    ]
    assert stranger.full_name not in response.text


def test_a_malformed_number_is_explained_on_the_sheet(world, client_for):
    response = client_for(world.reporter).post(sheet(world) + "find/", {"number": "19991301-1234"})
    assert response.status_code == 200
    assert "The identity number contains a date that does not exist." in response.text
    assert sheet_rows(response.text)[0][0] == "Anna Andersson"


# --- The course grade -----------------------------------------------------------------------------


def test_course_sheet_prefills_date_and_grade_of_a_single_module_course(institution, client_for):
    world = reporting_world(institution, students=2, modules=1)
    passed, failed = world.students
    certify(world, passed)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=failed, grade=grade("U"), examination_date=days(-2))],
    )
    client = client_for(world.reporter)
    html = client.get(sheet(world, "course")).text
    data = form_data(html, "report-form")
    assert (data[f"{key(passed)}-grade"], data[f"{key(passed)}-date"]) == (
        "G",
        days(-2).isoformat(),
    )
    assert (data[f"{key(failed)}-grade"], data[f"{key(failed)}-date"]) == ("", "")
    assert "Proposed from the module grade: save to confirm." in html
    passed_col = {r[0]: r[3] for r in sheet_rows(html)}
    assert passed_col == {passed.full_name: "Yes", failed.full_name: "No"}
    client.post(sheet(world, "course"), data)
    course_grade = Result.objects.get(module=None)
    assert (course_grade.person, course_grade.grade.code) == (passed, "G")
    # Once reported, the course grade is the open row: no second proposal.
    html = client.get(sheet(world, "course")).text
    assert "Proposed from the module grade" not in html


# --- Points to grades on the name sheet (B-8) -----------------------------------------------------


def test_points_without_a_grade_propose_one_that_is_saved_when_confirmed(world, client_for):
    anna, bo, _c = world.students
    AnnotationColumn.objects.create(
        institution=world.instance.institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    session = ActivitySessionFactory(
        institution=world.instance.institution, course_instances=[world.instance]
    )
    session.modules.add(world.module)
    for code, minimum in (("U", 0), ("G", 30)):
        GradeThreshold.objects.create(
            institution=session.institution,
            session=session,
            grade=grade(code),
            min_points=Decimal(minimum),
        )
    client = client_for(world.reporter)
    data = form_data(
        client.get(sheet(world)).text,
        "report-form",
        **{
            f"{key(anna)}-points": "31,5",
            f"{key(anna)}-date": days(-1).isoformat(),
            f"{key(bo)}-points": "12",
            f"{key(bo)}-date": days(-1).isoformat(),
        },
    )
    response = client.post(sheet(world), data)
    assert Result.objects.count() == 0
    assert alert_text(response.text) == (
        "Grades were proposed from the points for 2 rows. Check them and press Save to confirm; "
        "nothing is saved yet."
    )
    shown = form_data(response.text, "report-form")
    assert (shown[f"{key(anna)}-grade"], shown[f"{key(bo)}-grade"]) == ("G", "U")
    assert response.text.count("Proposed from the points: check it and save to confirm.") == 2
    client.post(sheet(world), shown)
    saved = {r.person: (r.grade.code, r.annotations) for r in Result.objects.all()}
    assert saved == {anna: ("G", {"points": "31,5"}), bo: ("U", {"points": "12"})}


# --- Fixed number of queries ----------------------------------------------------------------------


def _crowd(institution, count: int):
    world = reporting_world(institution, students=count, modules=2)
    AnnotationColumn.objects.create(
        institution=institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    half = world.students[: count // 2]
    report(world, *half, annotations={"points": "12"})
    certify(world, world.students[-1])
    return world


@pytest.mark.parametrize("count", [5, 50])
def test_sheet_query_count_does_not_grow(institution, client_for, django_assert_num_queries, count):
    world = _crowd(institution, count)
    client = client_for(world.reporter)
    with django_assert_num_queries(14):
        response = client.get(sheet(world))
    assert len(sheet_rows(response.text)) == count


@pytest.mark.parametrize("count", [5, 50])
def test_save_query_count_does_not_grow(institution, client_for, django_assert_num_queries, count):
    world = _crowd(institution, count)
    client = client_for(world.reporter)
    changes = {}
    for person in world.students[: count // 2]:
        changes[f"{key(person)}-grade"] = "U"
    for person in world.students[count // 2 : -1]:
        changes[f"{key(person)}-grade"] = "G"
        changes[f"{key(person)}-date"] = days(-1).isoformat()
    data = form_data(client.get(sheet(world)).text, "report-form", **changes)
    with django_assert_num_queries(22):
        response = client.post(sheet(world), data)
    assert response.status_code == 302
    assert Result.objects.filter(state=S.DRAFT).count() == count - 1


@pytest.mark.parametrize("count", [5, 50])
def test_course_sheet_query_count_does_not_grow(
    institution, client_for, django_assert_num_queries, count
):
    world = _crowd(institution, count)
    client = client_for(world.reporter)
    with django_assert_num_queries(13):
        response = client.get(sheet(world, "course"))
    assert len(sheet_rows(response.text)) == count


def test_a_reporter_of_the_course_with_the_rights_page_is_not_needed(world, client_for):
    """The grade list is the module's scale (U345 here): every option shows once per row."""
    world.module.grading_scale = grade("3", SCALE_U345).scale
    world.module.save()
    html = client_for(world.reporter).get(sheet(world)).text
    select = re.search(rf'<select name="{key(world.students[0])}-grade".*?</select>', html, re.S)
    assert re.findall(r'value="([^"]*)"', select.group(0)) == ["", "U", "3", "4", "5"]


def test_signed_up_students_without_results_are_just_rows(world, client_for):
    session = ActivitySessionFactory(
        institution=world.instance.institution, anonymous=True, course_instances=[world.instance]
    )
    SignupFactory(session=session, person=world.students[0], anonymisation_code="TEN1-AAAAAA")
    html = client_for(world.reporter).get(sheet(world)).text
    assert "TEN1-AAAAAA" not in html
    assert sheet_rows(html)[0][-2] == "Not reported"


# --- A sheet longer than one form may post (DATA_UPLOAD_MAX_NUMBER_FIELDS) ------------------------


def test_a_long_sheet_is_split_into_pages_that_each_post_within_the_limit(
    institution, client_for, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 60
    world = reporting_world(institution, students=25, modules=1)
    AnnotationColumn.objects.create(
        institution=institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    client = client_for(world.reporter)
    # In the database's collation, as the sheet orders them.
    ordered = list(
        Person.objects.filter(pk__in=[p.pk for p in world.students]).order_by(
            "last_name", "first_name", "pk"
        )
    )
    # (60 - 20 spare) // (grade, date, state, points) = 10 rows a page.
    first = client.get(sheet(world)).text
    assert [r[0] for r in sheet_rows(first)] == [p.full_name for p in ordered[:10]]
    assert "Rows 1–10 of 25." in first
    last = client.get(sheet(world), {"page": "3"}).text
    assert [r[0] for r in sheet_rows(last)] == [p.full_name for p in ordered[20:]]
    second = client.get(sheet(world), {"page": "2"}).text
    changes = {f"{key(p)}-grade": "G" for p in ordered[10:20]}
    data = form_data(second, "report-form", default_date=days(-1).isoformat(), **changes)
    assert len(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    action = re.search(r'<form id="report-form" method="post" action="([^"]+)"', second)[1]
    assert action == f"{sheet(world)}?page=2"
    response = client.post(action, data)
    assert response["Location"] == f"{sheet(world)}?page=2"
    assert set(Result.objects.values_list("person_id", flat=True)) == {p.pk for p in ordered[10:20]}
    # Marking ready from page 2 comes back to page 2.
    ready = form_data(client.get(action).text, "ready-form", all="on")
    back = client.post(f"{sheet(world)}ready/?page=2", ready)
    assert back["Location"] == f"{sheet(world)}?page=2#ready"


def test_a_student_added_by_number_is_shown_on_their_page(institution, client_for, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50  # (50 - 20) // 3 = 10 rows a page
    world = reporting_world(institution, students=15, modules=1)
    earlier = CourseInstanceFactory(course=world.instance.course, start_date=days(-400))
    birth = datetime.date(1998, 5, 17)
    last = PersonFactory(
        last_name="Zzyzx", birth_date=birth, identity_number=valid_identity_number(birth, 419)
    )
    register(last, earlier)
    response = client_for(world.reporter).post(
        sheet(world) + "find/", {"number": last.identity_number}
    )
    assert response["Location"] == f"{sheet(world)}?page=2#row-{key(last)}"


def test_every_participant_of_an_anonymous_exam_looks_the_same_until_certified(world, client_for):
    """B-6: not only the names with a code-reported result are hidden: every participant of a
    held anonymous exam shows the same, or the names with a result could be matched against
    the codes with one. Once certified, the row is an ordinary one again."""
    anna, bo, cecilia = world.students
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        anonymous=True,
        course_instances=[world.instance],
        starts_at=timezone.now() - datetime.timedelta(days=5),
        ends_at=timezone.now() - datetime.timedelta(days=5) + datetime.timedelta(hours=4),
    )
    session.modules.add(world.module)
    for person in (anna, bo):
        SignupFactory(session=session, person=person)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=anna, grade=grade("G"), examination_date=days(-4))],
        activity_session=session,
    )
    rows = {r[0]: r[3:] for r in sheet_rows(client_for(world.reporter).get(sheet(world)).text)}
    assert rows["Anna Andersson"] == rows[bo.full_name]
    assert rows["Anna Andersson"][1] == "Reported by code"
    assert rows[cecilia.full_name][1] != "Reported by code"  # did not sit the exam

    draft = Result.objects.get(person=anna)
    ready = reporting.mark_ready(
        world.reporter, results=[draft], graded_by=world.reporter, notify=None
    )
    certifying.certify(world.examiner, results=ready)
    rows = {r[0]: r[3:] for r in sheet_rows(client_for(world.reporter).get(sheet(world)).text)}
    assert rows["Anna Andersson"][1] != "Reported by code"
    assert rows[bo.full_name][1] == "Reported by code"
