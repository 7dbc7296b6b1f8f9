"""Staff exam-session pages (T-ADM-3, T-DEAD-1, T-ANON-1, B-6; issue #4, point 5): study
administrators list, create and edit sessions, add and remove participants, export the list, and
list anonymisation codes only with a logged reason. Every page tried as the study administrator,
a teacher (403), a study administrator of another university (404), a student and nobody."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from dateutil.easter import easter
from django.test import Client
from django.utils import timezone, translation

from exams import queries
from exams.models import ActivitySession, CodeListing, Signup
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.models import ParticipationState
from results import deadlines
from results.models import ResultState
from tests.factories import (
    CourseInstanceFactory,
    CourseParticipationFactory,
    ModuleFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    valid_identity_number,
)
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory

pytestmark = pytest.mark.django_db

LIST = "/staff/exams/"
NEW = "/staff/exams/new/"


@pytest.fixture(autouse=True)
def _english():
    """Messages and headings are compared word for word."""
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def at(n: int, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(hour)))


def detail(session: ActivitySession) -> str:
    return f"/staff/exams/{session.public_id}/"


def study_admin(institution, username: str = "siv", **narrowing) -> User:
    user = UserFactory(username=username, first_name="Siv", last_name="Berglund")
    StaffRoleFactory(
        user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN, **narrowing
    )
    return user


@pytest.fixture
def admin(institution) -> User:
    return study_admin(institution)


@pytest.fixture
def teacher(institution) -> User:
    user = UserFactory(username="tom")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.CERTIFIER)
    return user


@pytest.fixture
def elsewhere(other_institution) -> User:
    """A study administrator, but of another university."""
    return study_admin(other_institution, "olle")


@pytest.fixture
def instance(institution):
    return CourseInstanceFactory(
        course__institution=institution,
        course__code="MATA21",
        instance_code="20001",
        start_date=days(-30),
        end_date=days(60),
    )


@pytest.fixture
def session(institution, instance) -> ActivitySession:
    return ActivitySessionFactory(
        institution=institution,
        label="TEN1",
        name_en="Written exam in analysis",
        course_instances=[instance],
        capacity=30,
    )


def student(institution, instance, first: str, last: str, serial: int) -> Person:
    """A student registered on the instance, with a Swedish personal identity number."""
    birth = datetime.date(1999, 3, 8)
    person = PersonFactory(
        first_name=first,
        last_name=last,
        birth_date=birth,
        identity_number=valid_identity_number(birth, serial),
    )
    CourseParticipationFactory(
        person=person, course_instance=instance, state=ParticipationState.REGISTERED
    )
    return person


class _Rows(HTMLParser):
    """The body rows (cell texts) of the tables inside the element with the id `scope`."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope, self.inside, self.depth = scope, False, 0
        self.in_body, self.row, self.cell = False, None, None
        self.rows: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if dict(attrs).get("id") == self.scope:
            self.inside, self.depth = True, 0
        if not self.inside or tag in {"input", "br", "img"}:
            return
        self.depth += 1
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        self.depth -= 1
        if tag in {"td", "th"} and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(tuple(self.row))
            self.row = None
        elif tag == "tbody":
            self.in_body = False
        if self.depth == 0:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(html: str, scope: str) -> list[tuple[str, ...]]:
    parser = _Rows(scope)
    parser.feed(html)
    return parser.rows


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who gets in ---------------------------------------------------------------------------------


def test_list_shows_the_admins_sessions_with_their_facts(
    institution, admin, session, instance, client_for
):
    anonymous = ActivitySessionFactory(
        institution=institution,
        label="TEN2",
        name_en="Re-exam",
        anonymous=True,
        starts_at=at(40),
        ends_at=at(40, 13),
        course_instances=[instance],
    )
    past = ActivitySessionFactory(
        institution=institution,
        label="OLD1",
        name_en="Last term's exam",
        starts_at=at(-100),
        ends_at=at(-100, 13),
        course_instances=[instance],
    )
    SignupFactory(session=session)
    # T-DEAD-1: of the past session's two participants one has a certified result, one not.
    reported = SignupFactory(session=past)
    SignupFactory(session=past)
    module = ModuleFactory(course=instance.course)
    past.modules.add(module)
    ResultFactory(
        course_instance=instance,
        module=module,
        person=reported.person,
        examination_date=clock.date_of(past.starts_at),
        state=ResultState.CERTIFIED,
        certified_at=timezone.now(),
        certified_by=admin,
    )
    response = client_for(admin).get(LIST)
    html = response.text
    due = {
        s.label: deadlines.reporting_deadline(clock.date_of(s.starts_at))
        for s in (session, anonymous, past)
    }
    when = f"{days(21)} 08:00–13:00"
    assert rows(html, "upcoming") == [
        (
            "TEN1 Written exam in analysis",
            when,
            "MATA21 20001",
            "1 / 30",
            "No",
            f"Results due {due['TEN1']}",
        ),
        (
            "TEN2 Re-exam",
            f"{days(40)} 08:00–13:00",
            "MATA21 20001",
            "0",
            "Yes",
            f"Results due {due['TEN2']}",
        ),
    ]
    assert rows(html, "past") == [
        (
            "OLD1 Last term's exam",
            f"{days(-100)} 08:00–13:00",
            "MATA21 20001",
            "2",
            "No",
            f"Results due {due['OLD1']} overdue: 1 result missing",
        )
    ]


def test_list_leaves_out_sessions_of_courses_a_narrowed_admin_does_not_manage(
    institution, session, client_for
):
    own = CourseInstanceFactory(course__institution=institution)
    ActivitySessionFactory(institution=institution, label="MINE", course_instances=[own])
    narrowed = study_admin(institution, "nina", course=own.course)
    response = client_for(narrowed).get(LIST)
    assert re.findall(r'class="exam-table__label">([^<]+)<', response.text) == ["MINE"]
    # A session of the university whose courses the admin does not manage: 403, not 404.
    assert client_for(narrowed).get(detail(session)).status_code == 403


@pytest.mark.parametrize("suffix", ["", "edit/", "export/?format=csv", "codes/"])
def test_a_narrowed_admin_gets_403_on_a_session_of_courses_they_do_not_manage(
    institution, session, client_for, suffix
):
    session.anonymous = True
    session.save()
    own = CourseInstanceFactory(course__institution=institution)
    narrowed = study_admin(institution, "nina", course=own.course)
    assert client_for(narrowed).get(detail(session) + suffix).status_code == 403


@pytest.mark.parametrize("page", ["list", "detail", "edit", "new", "export"])
def test_teacher_is_refused_with_403(teacher, session, client_for, page):
    url = {
        "list": LIST,
        "detail": detail(session),
        "edit": detail(session) + "edit/",
        "new": NEW,
        "export": detail(session) + "export/?format=csv",
    }[page]
    assert client_for(teacher).get(url).status_code == 403


@pytest.mark.parametrize("suffix", ["", "edit/", "export/?format=csv", "codes/"])
def test_admin_of_another_university_gets_404(elsewhere, session, client_for, suffix):
    session.anonymous = True
    session.save()
    assert client_for(elsewhere).get(detail(session) + suffix).status_code == 404


def test_admin_of_another_university_sees_none_of_its_sessions(elsewhere, session, client_for):
    response = client_for(elsewhere).get(LIST)
    assert (response.status_code, response.context["listing"].upcoming) == (200, [])


def test_student_is_refused_by_the_staff_web(student_user, session, client_for):
    response = client_for(student_user).get(detail(session))
    assert (response.status_code, response.templates[0].name) == (403, "people/not_staff.html")


@pytest.mark.parametrize("suffix", ["", "edit/", "export/?format=csv"])
def test_nobody_is_sent_to_the_login(session, suffix):
    response = Client().get(detail(session) + suffix)
    assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/login/")


def test_staff_menu_and_home_offer_exam_sessions_to_study_admins_only(admin, teacher, client_for):
    link = 'href="/staff/exams/"'
    assert client_for(admin).get("/staff/").text.count(link) == 2  # menu and card
    assert client_for(teacher).get("/staff/").text.count(link) == 0


# --- Create and edit ------------------------------------------------------------------------------


def form_data(instance, **changes) -> dict:
    data = {
        "name_sv": "Tentamen i analys",
        "name_en": "Written exam in analysis",
        "kind": "written",
        "label": "TEN3",
        "starts_at": f"{days(30)}T09:00",
        "ends_at": f"{days(30)}T14:00",
        "town": "Lund",
        "place": "Sparta A",
        "link": "",
        "course_instances": [str(instance.public_id)],
        "signup_opens": str(days(1)),
        "signup_closes": str(days(20)),
        "capacity": "40",
        "students_may_cancel": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_create_page_offers_the_admins_course_instances(admin, instance, client_for):
    response = client_for(admin).get(NEW)
    choices = [
        label for _value, label in response.context["form"].fields["course_instances"].choices
    ]
    assert (response.status_code, choices) == (
        200,
        [f"MATA21 {instance.course.name} – 20001 ({days(-30)} – {days(60)})"],
    )


def test_create_with_valid_data_saves_the_session_in_swedish_time(
    institution, admin, instance, client_for
):
    module = ModuleFactory(course=instance.course)
    response = client_for(admin).post(
        NEW, form_data(instance, modules=[str(module.pk)], anonymous="on"), follow=True
    )
    session = ActivitySession.objects.get()
    stockholm = timezone.get_default_timezone()
    assert (
        response.redirect_chain,
        session.starts_at,
        session.label,
        list(session.course_instances.all()),
        list(session.modules.all()),
        session.anonymous,
        session.capacity,
        messages_of(response),
    ) == (
        [(detail(session), 302)],
        datetime.datetime.combine(days(30), datetime.time(9), tzinfo=stockholm),
        "TEN3",
        [instance],
        [module],
        True,
        40,
        ["The session TEN3 is created."],
    )


INVALID = {
    "end before start": ({"ends_at": f"{days(30)}T08:00"}, "The session must end after it starts."),
    "sign-up open without a close": (
        {"signup_closes": ""},
        "Give both the first and the last day of sign-up, or neither",
    ),
    "sign-up closes before it opens": (
        {"signup_opens": str(days(10)), "signup_closes": str(days(5))},
        "Sign-up must close on or after the day it opens.",
    ),
    "sign-up closes after the start": (
        {"signup_closes": str(days(31))},
        f"Sign-up must close before the day the session starts ({days(30)}).",
    ),
    "zero places": ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
    "no course instance": ({"course_instances": []}, "This field is required."),
    "not a time": ({"starts_at": "tomorrow"}, "Enter a valid date/time."),
    "a time the clocks skip": (
        {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T09:00"},
        "2027-03-28 02:30:00 couldn",
    ),
    "no name": ({"name_sv": "", "name_en": ""}, "Give the session a name"),
}


@pytest.mark.parametrize("case", INVALID)
def test_create_with_invalid_data_says_why_and_saves_nothing(admin, instance, client_for, case):
    changes, message = INVALID[case]
    response = client_for(admin).post(NEW, form_data(instance, **changes))
    errors = [e for errs in response.context["form"].errors.values() for e in errs]
    assert (response.status_code, ActivitySession.objects.count()) == (200, 0)
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert message.split("(")[0] in response.text.replace("&#x27;", "'")


def test_create_refuses_a_course_instance_the_admin_does_not_manage(
    institution, instance, client_for
):
    narrowed = study_admin(institution, "nina", course=CourseInstanceFactory().course)
    response = client_for(narrowed).post(NEW, form_data(instance))
    assert (response.status_code, ActivitySession.objects.count()) == (200, 0)
    assert list(response.context["form"].errors) == ["course_instances"]


def test_edit_shows_the_session_and_saves_changes(admin, session, instance, client_for):
    client = client_for(admin)
    page = client.get(detail(session) + "edit/")
    assert re.findall(r'name="(label|starts_at)" value="([^"]+)"', page.text) == [
        ("label", "TEN1"),
        ("starts_at", f"{days(21)}T08:00"),
    ]
    response = client.post(
        detail(session) + "edit/",
        form_data(instance, label="TEN1", place="Victoriastadion", capacity="120"),
    )
    session.refresh_from_db()
    assert (response.status_code, response.url, session.place, session.capacity) == (
        302,
        detail(session),
        "Victoriastadion",
        120,
    )


def test_edit_with_invalid_data_keeps_the_session(admin, session, instance, client_for):
    response = client_for(admin).post(
        detail(session) + "edit/", form_data(instance, label="TEN1", capacity="-3")
    )
    session.refresh_from_db()
    assert (response.status_code, session.capacity, session.label) == (200, 30, "TEN1")


# --- Participants ---------------------------------------------------------------------------------


def test_detail_lists_participants_with_masked_numbers(
    institution, admin, session, instance, client_for
):
    sara = student(institution, instance, "Sara", "Svensson", 238)
    olle = student(institution, instance, "Olle", "Andersson", 244)
    SignupFactory(session=session, person=sara)
    SignupFactory(session=session, person=olle, added_by=admin)
    response = client_for(admin).get(detail(session))
    today = clock.today().isoformat()
    got = [
        (name, number, how, when[:10], action)
        for name, number, how, when, action in rows(response.text, "participants")
    ]
    assert got == [
        (
            "Olle Andersson",
            "19990308-****",
            "Added by Siv Berglund",
            today,
            "Remove Olle Andersson",
        ),
        ("Sara Svensson", "19990308-****", "Signed up themselves", today, "Remove Sara Svensson"),
    ]
    assert sara.identity_number[-4:] not in response.text.split('id="participants"')[1]


def test_add_participant_by_number_puts_the_session_under_signed_up(
    institution, admin, session, instance, client_for
):
    sara = student(institution, instance, "Sara", "Svensson", 238)
    session.signup_opens, session.signup_closes = days(-20), days(-10)  # closed for students
    session.save()
    response = client_for(admin).post(
        detail(session) + "participants/", {"number": sara.display_identifier}, follow=True
    )
    signup = Signup.objects.get()
    cards = queries.exam_cards(sara, institution.settings, "signed_up")
    assert (signup.person, signup.added_by, signup.cancelled_at) == (sara, admin, None)
    assert [card.session for card in cards] == [session]
    assert messages_of(response) == [
        "Sara Svensson is a participant. The student sees the session under Signed up."
    ]
    assert response.redirect_chain == [(detail(session) + "#participants", 302)]


def test_add_participant_with_an_unknown_number_adds_nobody(
    institution, admin, session, client_for
):
    stranger = valid_identity_number(datetime.date(1980, 1, 1), 123)
    response = client_for(admin).post(
        detail(session) + "participants/", {"number": stranger}, follow=True
    )
    assert (Signup.objects.count(), messages_of(response)) == (
        0,
        ["No student with that number at Lund University."],
    )


def test_add_participant_with_a_malformed_number_says_why(admin, session, client_for):
    response = client_for(admin).post(
        detail(session) + "participants/", {"number": "12345"}, follow=True
    )
    assert (Signup.objects.count(), messages_of(response)) == (
        0,
        ["Enter the personal identity number as YYYYMMDD-XXXX (12 digits)."],
    )


def test_add_participant_twice_is_refused(institution, admin, session, instance, client_for):
    sara = student(institution, instance, "Sara", "Svensson", 238)
    SignupFactory(session=session, person=sara)
    response = client_for(admin).post(
        detail(session) + "participants/", {"number": sara.identity_number}, follow=True
    )
    assert (Signup.objects.count(), messages_of(response)) == (
        1,
        ["The student is already a participant."],
    )


def test_remove_participant_asks_first_then_removes(
    institution, admin, session, instance, client_for
):
    sara = student(institution, instance, "Sara", "Svensson", 238)
    signup = SignupFactory(session=session, person=sara)
    url = f"{detail(session)}participants/{signup.public_id}/remove/"
    client = client_for(admin)
    confirm = client.get(url)
    signup.refresh_from_db()
    assert (confirm.status_code, signup.cancelled_at) == (200, None)
    assert "Remove Sara Svensson from TEN1" in confirm.text
    response = client.post(url, follow=True)
    signup.refresh_from_db()
    assert (signup.cancelled_by, messages_of(response)) == (
        admin,
        ["Sara Svensson is no longer a participant."],
    )
    assert queries.exam_cards(sara, institution.settings, "signed_up") == []
    assert rows(response.text, "participants") == []


def test_remove_participant_of_another_session_is_404(
    institution, admin, session, instance, client_for
):
    other = SignupFactory(
        session=ActivitySessionFactory(institution=institution, course_instances=[instance])
    )
    url = f"{detail(session)}participants/{other.public_id}/remove/"
    assert client_for(admin).post(url).status_code == 404
    other.refresh_from_db()
    assert other.cancelled_at is None


def test_teacher_cannot_add_or_remove_participants(
    institution, teacher, session, instance, client_for
):
    sara = student(institution, instance, "Sara", "Svensson", 238)
    signup = SignupFactory(session=session)
    client = client_for(teacher)
    add = client.post(detail(session) + "participants/", {"number": sara.identity_number})
    remove = client.post(f"{detail(session)}participants/{signup.public_id}/remove/")
    signup.refresh_from_db()
    assert (add.status_code, remove.status_code) == (403, 403)
    assert (Signup.objects.count(), signup.cancelled_at) == (1, None)


# --- Anonymisation codes (T-ANON-1, B-6) ---------------------------------------------------------


@pytest.fixture
def anonymous(institution, instance, session) -> ActivitySession:
    session.anonymous = True
    session.save()
    for n, code in enumerate(["TEN1-ACDEFG", "TEN1-HJKMNP", "TEN1-QRTUVW"]):
        SignupFactory(
            session=session,
            person=student(institution, instance, "Elev", f"Nummer{n}", 300 + n),
            anonymisation_code=code,
        )
    return session


CODES = ["TEN1-ACDEFG", "TEN1-HJKMNP", "TEN1-QRTUVW"]


def _codes_in(text: str) -> list[str]:
    return [code for code in CODES if code in text] + re.findall(r"TEN1-[A-Z0-9]{6}", text)


def test_detail_of_an_anonymous_session_holds_no_code_anywhere(admin, anonymous, client_for):
    response = client_for(admin).get(detail(anonymous))
    assert len(rows(response.text, "participants")) == 3
    assert _codes_in(response.content.decode()) == []


def test_listing_codes_requires_a_reason_and_shows_nothing_without_one(
    admin, anonymous, client_for
):
    response = client_for(admin).post(detail(anonymous) + "codes/", {"reason": "because"})
    assert response.context["form"].errors == {
        "reason": ["Ensure this value has at least 10 characters (it has 7)."]
    }
    assert (_codes_in(response.text), CodeListing.objects.count()) == ([], 0)


def test_listing_codes_with_a_reason_is_logged_and_shows_the_key_once(admin, anonymous, client_for):
    client = client_for(admin)
    reason = "Student appeals the marking of question 4"
    response = client.post(detail(anonymous) + "codes/", {"reason": reason})
    listing = CodeListing.objects.get()
    assert (listing.actor, listing.reason, listing.session_id) == (admin, reason, anonymous.pk)
    assert [(code, name) for code, name, _number in rows(response.text, "main")] == [
        ("TEN1-ACDEFG", "Elev Nummer0"),
        ("TEN1-HJKMNP", "Elev Nummer1"),
        ("TEN1-QRTUVW", "Elev Nummer2"),
    ]
    assert "no-store" in response["Cache-Control"]
    # Afterwards the pages are as before: the key was on that response only.
    assert _codes_in(client.get(detail(anonymous)).text) == []
    assert _codes_in(client.get(detail(anonymous) + "codes/").text) == []


def test_teacher_cannot_list_codes(teacher, anonymous, client_for):
    response = client_for(teacher).post(
        detail(anonymous) + "codes/", {"reason": "I would like to see them"}
    )
    assert (response.status_code, _codes_in(response.text), CodeListing.objects.count()) == (
        403,
        [],
        0,
    )


def test_a_session_that_is_not_anonymous_has_no_code_page(admin, session, client_for):
    assert client_for(admin).get(detail(session) + "codes/").status_code == 404


# --- Export ---------------------------------------------------------------------------------------


def _participants(institution, instance, session, admin) -> list[list[str]]:
    """Two participants, one whose name would be a formula; the rows the export must hold."""
    sara = student(institution, instance, "Sara", "Svensson", 238)
    tricky = student(institution, instance, '=HYPERLINK("http://evil")', "@Evil", 246)
    mine = SignupFactory(session=session, person=sara, anonymisation_code="TEN1-ACDEFG")
    added = SignupFactory(
        session=session, person=tricky, added_by=admin, anonymisation_code="TEN1-HJKMNP"
    )

    def when(signup) -> str:
        return f"{clock.local(signup.signed_up_at):%Y-%m-%d %H:%M}"

    return [
        ["Name", "Personal identity number", "Signed up at", "Added by"],
        [
            '\'=HYPERLINK("http://evil") @Evil',
            tricky.display_identifier,
            when(added),
            "Siv Berglund",
        ],
        ["Sara Svensson", sara.display_identifier, when(mine), ""],
    ]


@pytest.mark.parametrize("anonymous_exam", [False, True])
def test_csv_export_parses_back_without_codes(
    institution, admin, session, instance, client_for, anonymous_exam
):
    session.anonymous = anonymous_exam
    session.save()
    expected = _participants(institution, instance, session, admin)
    response = client_for(admin).get(detail(session) + "export/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="TEN1-{days(21)}-participants.csv"'
    )
    assert list(csv.reader(io.StringIO(text))) == expected
    assert re.findall(r"TEN1-[A-Z0-9]{6}", text) == []


@pytest.mark.parametrize("anonymous_exam", [False, True])
def test_xlsx_export_parses_back_without_codes(
    institution, admin, session, instance, client_for, anonymous_exam
):
    from openpyxl import load_workbook

    session.anonymous = anonymous_exam
    session.save()
    expected = _participants(institution, instance, session, admin)
    response = client_for(admin).get(detail(session) + "export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    formulas = [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert (cells, formulas) == (expected, [])
    assert re.findall(r"TEN1-[A-Z0-9]{6}", repr(cells)) == []


def test_export_refuses_an_unknown_format(admin, session, client_for):
    assert client_for(admin).get(detail(session) + "export/?format=pdf").status_code == 400


# --- Deadline (T-DEAD-1) --------------------------------------------------------------------------


def test_detail_shows_the_deadline_of_a_session_before_easter(
    institution, admin, instance, client_for
):
    """The Monday of Holy Week next year: Good Friday and Easter Monday are not working days."""
    holy_monday = easter(clock.today().year + 1) - datetime.timedelta(days=6)
    start = timezone.make_aware(datetime.datetime.combine(holy_monday, datetime.time(8)))
    session = ActivitySessionFactory(
        institution=institution,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=5),
        course_instances=[instance],
    )
    response = client_for(admin).get(detail(session))
    expected = deadlines.reporting_deadline(holy_monday)
    # Fifteen weekdays would end three weeks later; Good Friday and Easter Monday push it on.
    assert (expected - holy_monday).days >= 21 + 2
    assert re.findall(r"Results due (\d{4}-\d\d-\d\d)", response.text) == [expected.isoformat()]
    listed = client_for(admin).get(LIST)
    assert re.findall(r"Results due (\d{4}-\d\d-\d\d)", listed.text) == [expected.isoformat()]


# --- Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    institution, admin, instance, client_for, django_assert_num_queries, count
):
    for n in range(count):
        retake = ActivitySessionFactory(
            institution=institution, starts_at=at(60 + n), ends_at=at(60 + n, 12)
        )
        s = ActivitySessionFactory(
            institution=institution, course_instances=[instance], retake=retake
        )
        SignupFactory(session=s)
    client = client_for(admin)
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["listing"].upcoming) == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_does_not_grow(
    institution, admin, session, instance, client_for, django_assert_num_queries, count
):
    for n in range(count):
        SignupFactory(
            session=session,
            person=student(institution, instance, "Elev", f"Nummer{n}", 300 + n),
            added_by=admin if n % 2 else None,
        )
        ModuleFactory(course=instance.course).activity_sessions.add(session)
    client = client_for(admin)
    with django_assert_num_queries(9):
        response = client.get(detail(session))
    assert len(rows(response.text, "participants")) == count


def test_add_participant_who_is_not_on_the_course_is_refused(
    institution, admin, session, client_for
):
    """#12 point 6: a student of the university but of another course is no participant."""
    from tests.conftest import enrol

    olle = PersonFactory(first_name="Olle", last_name="Annan")
    enrol(olle, institution)
    response = client_for(admin).post(
        detail(session) + "participants/", {"number": olle.identity_number}, follow=True
    )
    assert (Signup.objects.count(), messages_of(response)) == (
        0,
        ["The student is not on any course the session examines: admit them first."],
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"modules": ["9" * 40]},
        {"retake": "9" * 40},
        {"capacity": "9" * 40},
        {"modules": ["-" + "9" * 30]},
        {"course_instances": ["9" * 40]},
    ],
    ids=["module id", "retake id", "capacity", "negative id", "instance"],
)
def test_a_forty_digit_number_is_a_form_error_not_a_500(admin, instance, client_for, changes):
    """#17 point 4: ids and numbers are bounded before they reach the database."""
    response = client_for(admin).post(NEW, form_data(instance, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ActivitySession.objects.exists()
