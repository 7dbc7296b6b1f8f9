"""Report pages of an activity session: report by anonymisation code (T-ANON-1, B-6) and the
points-to-grades table (B-8). The code page must never link a code to a person before
certification: the HTML it sends carries no name, identity number, person id or result id of
any signed-up student, whatever happens on it (saving, errors, marking ready)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from ladokportal import clock
from people.models import StaffRoleKind
from results.models import AnnotationColumn, AnnotationKind, GradeThreshold, Result, ResultState
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import (
    CourseInstanceFactory,
    ModuleFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import grade, register, reporting_world
from tests.staffweb.report_helpers import alert_text, form_data, sheet_rows

pytestmark = pytest.mark.django_db

S = ResultState
CODES = ["TEN1-CCCCCC", "TEN1-AAAAAA", "TEN1-BBBBBB"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


@pytest.fixture
def world(institution):
    w = reporting_world(institution, students=3, modules=1)
    # Names that appear in no page text, so that finding one on the page means a leak.
    for n, person in enumerate(w.students):
        person.first_name, person.last_name = f"Xavqa{n}", f"Quorrel{n}"
        person.save()
    AnnotationColumn.objects.create(
        institution=institution,
        course=w.instance.course,
        module=w.module,
        kind=AnnotationKind.POINTS,
    )
    return w


def anonymous_session(world, *, codes=CODES, anonymous=True, modules=None):
    start = timezone.make_aware(datetime.datetime.combine(days(-3), datetime.time(8)))
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        label="TEN1",
        anonymous=anonymous,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=5),
        course_instances=[world.instance],
    )
    session.modules.set(modules or [world.module])
    for person, code in zip(world.students, codes, strict=False):
        SignupFactory(
            session=session, person=person, anonymisation_code=code if anonymous else None
        )
    return session


@pytest.fixture
def session(world):
    return anonymous_session(world)


def codes_url(session, suffix: str = "") -> str:
    return f"/staff/results/sessions/{session.public_id}/report/{suffix}"


def student_of(world, code: str):
    return world.students[CODES.index(code)]


def assert_no_person(world, html: str, *extra) -> None:
    """B-6: nothing on the page names a signed-up student."""
    for person in [*world.students, *extra]:
        for text in (
            person.first_name,
            person.last_name,
            person.identity_number,
            person.identity_number[:8],
            person.masked_identifier,
            str(person.public_id),
            person.public_id.hex,
        ):
            assert text not in html, f"{text!r} of {person.full_name} is on the code page"
    for result in Result.objects.all():
        assert str(result.public_id) not in html
        assert result.public_id.hex not in html


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who gets in ---------------------------------------------------------------------------------


def test_rights_on_the_session_pages(
    world, session, institution, other_institution, client, client_for
):
    urls = [codes_url(session), f"/staff/results/sessions/{session.public_id}/thresholds/"]
    for url in urls:
        assert client.get(url).status_code == 302  # nobody: to the login
        assert client_for(world.outsider).get(url).status_code == 403
        assert client_for(world.reporter).get(url).status_code == 200
    admin = UserFactory(username="sys")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.SYSTEM_ADMIN)
    elsewhere = UserFactory(username="uu")
    StaffRoleFactory(user=elsewhere, institution=other_institution, role=StaffRoleKind.REPORTER)
    student = UserFactory(username="stud", person=world.students[0])
    posts = [
        codes_url(session),
        codes_url(session, "ready/"),
        codes_url(session, "unmark/"),
        urls[1],
    ]
    for url in posts:
        assert client_for(admin).post(url, {"all": "on"}).status_code == 403
        assert client_for(elsewhere).post(url, {"all": "on"}).status_code == 404
        assert client_for(world.outsider).post(url, {"all": "on"}).status_code == 403
        assert client_for(student).post(url, {"all": "on"}).status_code == 403
        assert client.post(url).status_code == 302


def test_a_session_that_is_not_anonymous_has_no_code_page(world, client_for):
    plain = anonymous_session(world, anonymous=False)
    assert client_for(world.reporter).get(codes_url(plain)).status_code == 404


# --- Report by code -------------------------------------------------------------------------------


def test_code_page_lists_the_codes_and_nobody(world, session, client_for):
    # A participant who does not take the course is not a row.
    other = PersonFactory(first_name="Olle", last_name="Other")
    register(other, CourseInstanceFactory(course__institution=world.instance.institution))
    SignupFactory(session=session, person=other, anonymisation_code="TEN1-OOOOOO")
    html = client_for(world.reporter).get(codes_url(session)).text
    assert [r[0] for r in sheet_rows(html)] == sorted(CODES)
    assert sheet_rows(html)[0] == ("TEN1-AAAAAA", "", "", "", "Not reported", "")
    # The session's day is the default date of every new row.
    data = form_data(html, "report-form")
    assert data["cTEN1-AAAAAA-date"] == days(-3).isoformat()
    assert_no_person(world, html, other)


def test_saving_by_code_reports_the_right_students_linked_to_the_session(
    world, session, client_for
):
    client = client_for(world.reporter)
    data = form_data(
        client.get(codes_url(session)).text,
        "report-form",
        **{
            "cTEN1-AAAAAA-grade": "G",
            "cTEN1-AAAAAA-points": "31",
            "cTEN1-BBBBBB-grade": "U",
        },
    )
    response = client.post(codes_url(session), data)
    assert response.status_code == 302
    saved = {
        r.person: (r.grade.code, r.examination_date, r.annotations, r.activity_session)
        for r in Result.objects.all()
    }
    assert saved == {
        student_of(world, "TEN1-AAAAAA"): ("G", days(-3), {"points": "31"}, session),
        student_of(world, "TEN1-BBBBBB"): ("U", days(-3), {}, session),
    }
    page = client.get(response["Location"])
    assert messages_of(page) == ["Saved as drafts: 2 new, 0 changed."]
    html = page.text
    assert sheet_rows(html)[0][4] == "Draft"
    assert form_data(html, "report-form")["cTEN1-AAAAAA-grade"] == "G"
    assert_no_person(world, html)
    # Next to the names, the drafts show nothing of themselves (B-6).
    names = client.get(f"/staff/results/{world.instance.public_id}/{world.module.code}/").text
    states = {r[0]: r[-2] for r in sheet_rows(names)}
    assert states[student_of(world, "TEN1-AAAAAA").full_name] == "Reported by code"
    assert 'value="31"' not in names
    assert "TEN1-" not in names


def test_changing_a_draft_by_code(world, session, client_for):
    client = client_for(world.reporter)
    first = form_data(
        client.get(codes_url(session)).text, "report-form", **{"cTEN1-AAAAAA-grade": "G"}
    )
    client.post(codes_url(session), first)
    again = form_data(
        client.get(codes_url(session)).text, "report-form", **{"cTEN1-AAAAAA-grade": "U"}
    )
    response = client.post(codes_url(session), again, follow=True)
    assert messages_of(response) == ["Saved as drafts: 0 new, 1 changed."]
    assert Result.objects.get().grade.code == "U"


def test_errors_are_shown_by_code_without_names(world, session, client_for):
    client = client_for(world.reporter)
    data = form_data(
        client.get(codes_url(session)).text,
        "report-form",
        **{
            "cTEN1-AAAAAA-grade": "G",
            "cTEN1-AAAAAA-date": days(2).isoformat(),
            "cTEN1-BBBBBB-grade": "G",
            "cTEN1-BBBBBB-points": "lots",
        },
    )
    response = client.post(codes_url(session), data)
    assert Result.objects.count() == 0
    assert alert_text(response.text) == (
        "2 rows have errors; nothing was saved. "
        "TEN1-AAAAAA: The examination date cannot be in the future. "
        "TEN1-BBBBBB: Examination points must be a number from 0 to 9999, not “lots”."
    )
    assert form_data(response.text, "report-form")["cTEN1-BBBBBB-points"] == "lots"
    assert_no_person(world, response.text)


def test_a_change_meanwhile_names_the_code_not_the_student(world, session, client_for):
    client = client_for(world.reporter)
    html = client.get(codes_url(session)).text
    reporting.save_drafts(
        world.study_admin,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(
                person=student_of(world, "TEN1-AAAAAA"), grade=grade("U"), examination_date=days(-3)
            )
        ],
        activity_session=session,
    )
    response = client.post(
        codes_url(session), form_data(html, "report-form", **{"cTEN1-AAAAAA-grade": "G"})
    )
    assert alert_text(response.text) == (
        "Someone else reported or changed results under these codes after you opened the page: "
        "TEN1-AAAAAA. Nothing was saved; reload the page to see their change."
    )
    assert Result.objects.get().grade.code == "U"
    assert_no_person(world, response.text)


def test_a_student_reported_by_name_cannot_get_a_second_result_by_code(world, session, client_for):
    """The code row shows nothing of the result reported by name (that would link them); only
    trying to report the code tells that it cannot be done here."""
    person = student_of(world, "TEN1-AAAAAA")
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=person, grade=grade("G"), examination_date=days(-4))],
    )
    client = client_for(world.reporter)
    html = client.get(codes_url(session)).text
    assert sheet_rows(html)[0] == ("TEN1-AAAAAA", "", "", "", "Not reported", "")
    response = client.post(
        codes_url(session), form_data(html, "report-form", **{"cTEN1-AAAAAA-grade": "U"})
    )
    assert "has already been reported another way" in alert_text(response.text)
    assert Result.objects.get().grade.code == "G"
    assert_no_person(world, response.text)


def test_a_certified_result_by_code_is_read_only(world, session, client_for):
    client = client_for(world.reporter)
    client.post(
        codes_url(session),
        form_data(
            client.get(codes_url(session)).text, "report-form", **{"cTEN1-AAAAAA-grade": "G"}
        ),
    )
    drafts = list(Result.objects.all())
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    certifying.certify(world.examiner, results=ready)
    html = client.get(codes_url(session)).text
    assert sheet_rows(html)[0] == ("TEN1-AAAAAA", f"G ({days(-3)})", "Certified", "")
    assert "cTEN1-AAAAAA-grade" not in html


def test_points_propose_grades_by_code(world, session, client_for):
    for code, minimum in (("U", 0), ("G", 30)):
        GradeThreshold.objects.create(
            institution=session.institution,
            session=session,
            grade=grade(code),
            min_points=Decimal(minimum),
        )
    client = client_for(world.reporter)
    data = form_data(
        client.get(codes_url(session)).text,
        "report-form",
        **{"cTEN1-AAAAAA-points": "30", "cTEN1-BBBBBB-points": "29.5"},
    )
    response = client.post(codes_url(session), data)
    assert Result.objects.count() == 0
    shown = form_data(response.text, "report-form")
    assert (shown["cTEN1-AAAAAA-grade"], shown["cTEN1-BBBBBB-grade"]) == ("G", "U")
    assert shown["cTEN1-CCCCCC-grade"] == ""
    assert "Proposed from the points" in response.text
    client.post(codes_url(session), shown)
    assert sorted(Result.objects.values_list("grade__code", flat=True)) == ["G", "U"]


def test_mark_ready_and_back_by_code(world, session, client_for):
    client = client_for(world.reporter)
    client.post(
        codes_url(session),
        form_data(
            client.get(codes_url(session)).text,
            "report-form",
            **{code + "-grade": "G" for code in ("cTEN1-AAAAAA", "cTEN1-BBBBBB")},
        ),
    )
    html = client.get(codes_url(session)).text
    ready = form_data(html, "ready-form", ready=["TEN1-AAAAAA.1"])
    response = client.post(
        codes_url(session, "ready/") + f"?module={world.instance.course.code}:M1",
        ready,
        follow=True,
    )
    assert messages_of(response) == [
        "1 result is marked as ready for certification. "
        f"{world.examiner.display_name} is notified by e-mail."
    ]
    states = {r.person: r.state for r in Result.objects.all()}
    assert states == {
        student_of(world, "TEN1-AAAAAA"): S.READY,
        student_of(world, "TEN1-BBBBBB"): S.DRAFT,
    }
    assert_no_person(world, response.text)
    unmark = client.post(
        codes_url(session, "unmark/") + f"?module={world.instance.course.code}:M1",
        {"unmark": ["TEN1-AAAAAA.2"]},
        follow=True,
    )
    assert messages_of(unmark) == ["1 result is a draft again."]
    everything = client.post(
        codes_url(session, "ready/") + f"?module={world.instance.course.code}:M1",
        {**ready, "ready": [], "all": "on"},
        follow=True,
    )
    assert set(Result.objects.values_list("state", flat=True)) == {S.READY}
    assert_no_person(world, everything.text)


def test_a_stale_tick_is_refused_without_a_name(world, session, client_for):
    client = client_for(world.reporter)
    client.post(
        codes_url(session),
        form_data(
            client.get(codes_url(session)).text, "report-form", **{"cTEN1-AAAAAA-grade": "G"}
        ),
    )
    ready = form_data(client.get(codes_url(session)).text, "ready-form", ready=["TEN1-AAAAAA.7"])
    response = client.post(
        codes_url(session, "ready/") + f"?module={world.instance.course.code}:M1",
        ready,
        follow=True,
    )
    assert messages_of(response) == [
        "Some of the chosen results cannot be changed now: someone else changed them. Reload "
        "the page to see their state."
    ]
    assert Result.objects.get().state == S.DRAFT


def test_a_session_of_several_modules_asks_which(world, client_for):
    second = ModuleFactory(course=world.instance.course, code="M2", position=2, credits=3)
    session = anonymous_session(world, modules=[world.module, second])
    client = client_for(world.reporter)
    html = client.get(codes_url(session)).text
    course = world.instance.course.code
    links = re.findall(r'href="(/staff/results/sessions/[^"]+)"', html)
    assert links == [
        f"{codes_url(session)}?module={course}%3AM1",
        f"{codes_url(session)}?module={course}%3AM2",
    ]
    response = client.get(codes_url(session), {"module": f"{course}:M2"})
    assert "M2" in response.context["module"].code
    data = form_data(response.text, "report-form", **{"cTEN1-AAAAAA-grade": "G"})
    client.post(f"{codes_url(session)}?module={course}:M2", data)
    assert Result.objects.get().module == second


@pytest.mark.parametrize("count", [5, 50])
def test_code_page_query_count_does_not_grow(
    institution, client_for, django_assert_num_queries, count
):
    world = reporting_world(institution, students=count, modules=1)
    codes = [f"TEN1-{n:06d}" for n in range(count)]
    session = anonymous_session(world, codes=codes)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(person=p, grade=grade("G"), examination_date=days(-3))
            for p in world.students[: count // 2]
        ],
        activity_session=session,
    )
    client = client_for(world.reporter)
    with django_assert_num_queries(14):
        response = client.get(codes_url(session))
    assert len(sheet_rows(response.text)) == count
    changes = {f"c{code}-grade": "U" for code in codes}
    data = form_data(response.text, "report-form", **changes)
    with django_assert_num_queries(27):
        saved = client.post(codes_url(session), data)
    assert saved.status_code == 302
    assert Result.objects.filter(grade__code="U").count() == count


# --- Points to grades (B-8) -----------------------------------------------------------------------


def thresholds_url(session) -> str:
    return f"/staff/results/sessions/{session.public_id}/thresholds/"


def test_thresholds_are_edited_per_session(world, session, client_for):
    client = client_for(world.reporter)
    html = client.get(thresholds_url(session)).text
    assert re.findall(r'name="(min-[^"]+)"', html) == ["min-U", "min-G"]
    response = client.post(thresholds_url(session), {"min-U": "0", "min-G": "30,5"}, follow=True)
    assert messages_of(response) == ["The table is saved: 2 grades have a minimum."]
    table = {t.grade.code: t.min_points for t in GradeThreshold.objects.filter(session=session)}
    assert table == {"U": Decimal(0), "G": Decimal("30.5")}
    assert 'value="30.50"' in response.text


def test_a_wrong_table_is_explained_and_nothing_changes(world, session, client_for):
    client = client_for(world.reporter)
    client.post(thresholds_url(session), {"min-G": "30"})
    response = client.post(thresholds_url(session), {"min-U": "40", "min-G": "30"})
    assert response.status_code == 200
    assert "G must need more points than U (40)." in response.text
    bad = client.post(thresholds_url(session), {"min-U": "-1", "min-G": "x"})
    assert "Enter a number." in bad.text
    assert [t.min_points for t in GradeThreshold.objects.all()] == [Decimal(30)]


def test_thresholds_on_a_session_without_modules_offer_the_courses_modules(world, client_for):
    second = ModuleFactory(course=world.instance.course, code="M2", position=2, credits=3)
    session = ActivitySessionFactory(
        institution=world.instance.institution, course_instances=[world.instance]
    )
    html = client_for(world.reporter).get(thresholds_url(session)).text
    assert [m for m in re.findall(r"%3A(M\d)", html)] == ["M1", second.code]
