"""Staff side of the study journey (issue #3, point 7; T-ADM-2): study administrators find a
student by personal identity number, see the student's participations at their current
university with history, and admit, register on the student's behalf and record a leave of
absence, every change in the history with the staff member as actor."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation

from catalog.models import CourseInstance
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.models import (
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from tests.factories import (
    CourseFactory,
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    CourseParticipationFactory,
    OrgUnitFactory,
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    RegistrationFactory,
    StaffRoleFactory,
    UserFactory,
    valid_identity_number,
)

pytestmark = pytest.mark.django_db

S = ParticipationState
SEARCH = "/staff/students/"


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared word for word."""
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


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
    """Staff at the university without the study administrator role."""
    user = UserFactory(username="tom")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.CERTIFIER)
    return user


def instance_with_periods(institution, *, periods: int = 1, course=None) -> CourseInstance:
    """A course instance whose registration windows have all closed: only staff can register."""
    instance = CourseInstanceFactory(
        course=course or CourseFactory(institution=institution),
        start_date=days(-40),
        end_date=days(80),
    )
    for sequence in range(1, periods + 1):
        CourseInstancePeriodFactory(
            course_instance=instance,
            sequence=sequence,
            credits=Decimal("7.5") / periods,
            registration_opens=days(-60),
            registration_closes=days(-45),
        )
    return instance


@pytest.fixture
def sara(institution) -> Person:
    birth = datetime.date(1999, 3, 8)
    return PersonFactory(
        first_name="Sara",
        last_name="Svensson",
        birth_date=birth,
        identity_number=valid_identity_number(birth, 238),
        email="sara@example.se",
        phone="070-123 45 67",
    )


@pytest.fixture
def place(institution, sara) -> CourseParticipation:
    """Sara's place on a two-period course at the university: her record there."""
    return CourseParticipationFactory(
        person=sara, course_instance=instance_with_periods(institution, periods=2)
    )


@pytest.fixture
def programme(institution, sara) -> ProgrammeParticipation:
    return ProgrammeParticipationFactory(
        person=sara,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )


def overview_url(person: Person) -> str:
    return f"/staff/students/{person.public_id}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def display(number: str) -> str:
    return f"{number[:8]}-{number[8:]}"


class _Rows(HTMLParser):
    """The body rows (cell texts) of the tables inside the element with the id `scope`."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"})

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope, self.depth, self.scope_depth = scope, 0, None
        self.in_head, self.row, self.cell = False, None, None
        self.rows: list[tuple[str, ...]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            return
        self.depth += 1
        if self.scope_depth is None and dict(attrs).get("id") == self.scope:
            self.scope_depth = self.depth
        if self.scope_depth is None:
            return
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.scope_depth is not None:
            if tag == "thead":
                self.in_head = False
            elif tag in ("td", "th") and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.rows.append(tuple(self.row))
                self.row = None
        if self.scope_depth == self.depth:
            self.scope_depth = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(html: str, scope: str) -> list[tuple[str, ...]]:
    parser = _Rows(scope)
    parser.feed(html)
    return parser.rows


def ids_within(html: str, scope: str) -> list[str]:
    parser = _Rows(scope)
    parser.feed(html)
    return parser.ids


def history(html: str, participation) -> list[tuple[str, ...]]:
    """(who, change, note) of each row of a participation's history on the page."""
    return [row[1:] for row in rows(html, f"history-{participation.public_id}")]


def participation_rows() -> dict[str, int]:
    models = (CourseParticipation, ProgrammeParticipation, Registration, LeaveOfAbsence)
    return {
        **{m.__name__: m.objects.count() for m in models},
        "events": ParticipationEvent.objects.count(),
    }


# --- Search (T-ADM-2) ---------------------------------------------------------------------------


def test_search_page_offers_a_posted_form(client_for, admin):
    response = client_for(admin).get(SEARCH)
    assert response.status_code == 200
    forms = re.findall(r'<form method="(\w+)" action="([^"]*)" class="card"', response.text)
    assert forms == [("post", SEARCH)]
    assert response.context["form"].fields["number"].label == "Personal identity number"


@pytest.mark.parametrize(
    "typed",
    [
        display,
        lambda n: n,
        lambda n: f"{n[2:8]}-{n[8:]}",  # ten digits, as many people type it
        lambda n: f" {n[:8]} {n[8:]} ",
    ],
)
def test_search_by_identity_number_redirects_to_the_overview(client_for, admin, sara, place, typed):
    response = client_for(admin).post(SEARCH, {"number": typed(sara.identity_number)})
    assert response.status_code == 302
    assert response.url == overview_url(sara)


@pytest.mark.parametrize("typed", ["20010903-K123", "20010903k123", "20010903-k123"])
def test_search_by_birth_date_and_local_number(client_for, admin, institution, typed):
    kim = PersonFactory(
        identity_number=None, birth_date=datetime.date(2001, 9, 3), local_number="K123"
    )
    CourseParticipationFactory(person=kim, course_instance=instance_with_periods(institution))
    response = client_for(admin).post(SEARCH, {"number": typed})
    assert response.url == overview_url(kim)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("19990308-2381", "The identity number's check digit is wrong."),
        ("19990231-2384", "The identity number contains a date that does not exist."),
        ("abc", "Enter the personal identity number as YYYYMMDD-XXXX (12 digits)."),
        ("19990231-T001", "The birth date 19990231 does not exist."),
        ("", "This field is required."),
    ],
)
def test_search_with_an_invalid_number_says_why(client_for, admin, place, typed, message):
    response = client_for(admin).post(SEARCH, {"number": typed})
    assert response.status_code == 200
    errors = response.context["form"].errors["number"]
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert errors[0] in response.text.replace("&#x27;", "'")


def test_search_for_an_unknown_number_says_not_found_here(client_for, admin, place):
    unknown = valid_identity_number(datetime.date(1985, 5, 5), 123)
    response = client_for(admin).post(SEARCH, {"number": unknown})
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        "No student with that number at Lund University."
    ]


def test_search_for_a_student_only_at_another_university_gives_the_same_answer(
    client_for, admin, sara, other_institution
):
    CourseParticipationFactory(
        person=sara, course_instance=instance_with_periods(other_institution)
    )
    response = client_for(admin).post(SEARCH, {"number": sara.identity_number})
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        "No student with that number at Lund University."
    ]


def test_search_ignores_a_number_put_in_the_url(client_for, admin, sara, place):
    response = client_for(admin).get(SEARCH, {"number": sara.identity_number})
    assert response.status_code == 200
    assert response.context["form"].is_bound is False
    assert display(sara.identity_number) not in response.text


def test_search_refuses_staff_without_the_study_administrator_role(client_for, teacher, place):
    response = client_for(teacher).post(SEARCH, {"number": place.person.identity_number})
    assert response.status_code == 403
    assert client_for(teacher).get(SEARCH).status_code == 403


def test_search_refuses_a_student(client_for, student_user):
    response = client_for(student_user).get(SEARCH)
    assert response.status_code == 403
    assert response.templates[0].name == "people/not_staff.html"


def test_search_sends_nobody_to_the_login(place):
    response = Client().post(SEARCH, {"number": place.person.identity_number})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_study_admin_of_another_university_does_not_find_the_student(
    client_for, sara, place, other_institution
):
    elsewhere = study_admin(other_institution, username="ulla")
    response = client_for(elsewhere).post(SEARCH, {"number": sara.identity_number})
    assert response.context["form"].errors["number"] == [
        "No student with that number at Uppsala University."
    ]


# --- Overview -----------------------------------------------------------------------------------


def test_overview_shows_identity_contact_participations_and_periods(client_for, admin, sara, place):
    first = place.course_instance.periods.get(sequence=1)
    RegistrationFactory(participation=place, study_period=first.study_period)
    response = client_for(admin).get(overview_url(sara))
    assert response.status_code == 200
    page = response.text
    assert "<h1>Sara Svensson</h1>" in page
    assert display(sara.identity_number) in page
    assert 'href="mailto:sara@example.se"' in page
    assert "070-123 45 67" in page
    course = place.course_instance.course
    assert f"{course.code} {course.name}</h3>" in page
    periods = rows(page, f"course-{place.public_id}")
    assert [row[0] for row in periods] == [
        first.study_period.name,
        place.course_instance.periods.get(sequence=2).study_period.name,
    ]
    today = clock.today().isoformat()
    assert periods[0][3] == f"Registered {today}"
    assert periods[1][3] == "Register for " + periods[1][0]


def test_overview_groups_courses_under_their_programme(
    client_for, admin, sara, place, programme, institution
):
    in_programme = CourseParticipationFactory(
        person=sara,
        course_instance=instance_with_periods(institution),
        programme_participation=programme,
    )
    page = client_for(admin).get(overview_url(sara)).text
    in_card = ids_within(page, f"programme-{programme.public_id}")
    assert f"course-{in_programme.public_id}" in in_card
    assert f"course-{place.public_id}" not in in_card
    assert f"course-{place.public_id}" in ids_within(page, "courses-section")


def test_overview_shows_why_a_period_cannot_be_registered(client_for, admin, sara, place):
    place.state = S.WITHDRAWN
    place.save()
    page = client_for(admin).get(overview_url(sara)).text
    cells = [row[3] for row in rows(page, f"course-{place.public_id}")]
    # #12 point 6: staff wording, not the student's "You have withdrawn".
    assert cells == ["Not registered. The student has withdrawn from this course."] * 2


def test_overview_of_a_student_at_another_university_is_404(
    client_for, sara, place, other_institution
):
    elsewhere = study_admin(other_institution, username="ulla")
    assert client_for(elsewhere).get(overview_url(sara)).status_code == 404


def test_overview_of_a_person_without_records_here_is_404(client_for, admin, place):
    stranger = PersonFactory()
    assert client_for(admin).get(overview_url(stranger)).status_code == 404


def test_overview_refuses_a_teacher_without_the_role(client_for, teacher, sara, place):
    assert client_for(teacher).get(overview_url(sara)).status_code == 403


def test_overview_refuses_a_student(client_for, student_user, sara, place):
    response = client_for(student_user).get(overview_url(sara))
    assert response.status_code == 403
    assert response.templates[0].name == "people/not_staff.html"


def test_overview_sends_nobody_to_the_login(sara, place):
    response = Client().get(overview_url(sara))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def _history_of_size(institution, person: Person, n: int) -> None:
    """n stand-alone registered courses and n programmes, each with a course and a leave."""
    for _ in range(n):
        place = CourseParticipationFactory(
            person=person, course_instance=instance_with_periods(institution), state=S.REGISTERED
        )
        Registration.objects.create(
            institution=institution,
            participation=place,
            course_instance=place.course_instance,
            study_period=place.course_instance.periods.get().study_period,
        )
        ParticipationEvent.objects.create(
            institution=institution, course_participation=place, to_state=S.REGISTERED
        )
        programme = ProgrammeParticipationFactory(
            person=person,
            programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        )
        ParticipationEvent.objects.create(
            institution=institution, programme_participation=programme, to_state=S.ADMITTED
        )
        CourseParticipationFactory(
            person=person,
            course_instance=instance_with_periods(institution),
            programme_participation=programme,
        )
        LeaveOfAbsence.objects.create(
            institution=institution,
            programme_participation=programme,
            start_date=days(1),
            end_date=days(30),
        )


@pytest.mark.parametrize("size", [1, 3])
def test_overview_query_count_does_not_grow(
    size, client_for, admin, sara, institution, django_assert_num_queries
):
    _history_of_size(institution, sara, size)
    client = client_for(admin)
    # Session, user, staff universities, the role check, the person; programmes, their leaves
    # and events; courses, their registrations, periods and events; which of the instances the
    # admin manages; the admit choices; the admin's result rights and the student's results;
    # the student's latest certificates; the credit-transfer cases and Emrex transfers.
    with django_assert_num_queries(19):
        response = client.get(overview_url(sara))
    assert response.status_code == 200
    assert len(response.context["overview"].courses) == size
    assert len(response.context["overview"].programmes) == size


def test_no_page_puts_the_identity_number_in_a_url(client_for, admin, sara, place, programme):
    client = client_for(admin)
    search = client.post(SEARCH, {"number": sara.identity_number})
    pages = [
        client.get(SEARCH).text,
        client.post(SEARCH, {"number": "19990308-2381"}).text,
        client.get(search.url).text,
    ]
    urls = [search.url] + [
        url for page in pages for url in re.findall(r'(?:href|action)="([^"]*)"', page)
    ]
    assert len(urls) > 10
    number = sara.identity_number
    forms = {number, number[2:], display(number), display(number)[2:]}
    assert [u for u in urls if any(form in u for form in forms)] == []


def test_overview_has_no_duplicate_ids(client_for, admin, sara, place, programme, institution):
    ProgrammeParticipationFactory(
        person=sara,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )
    page = client_for(admin).get(overview_url(sara)).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_staff_menu_links_students_for_study_administrators_only(client_for, admin, teacher):
    link = f'<a href="{SEARCH}">Students</a>'
    assert link in client_for(admin).get("/staff/").text
    assert link not in client_for(teacher).get("/staff/").text


# --- Admit --------------------------------------------------------------------------------------


def admit(client: Client, person: Person, instance: CourseInstance):
    return client.post(
        f"{overview_url(person)}admit/", {"course_instance": instance.public_id}, follow=True
    )


def test_admit_gives_a_place_with_the_staff_member_in_the_history(
    client_for, admin, sara, place, institution
):
    instance = instance_with_periods(institution)
    response = admit(client_for(admin), sara, instance)
    new = CourseParticipation.objects.get(person=sara, course_instance=instance)
    assert (new.state, new.source) == (S.ADMITTED, "staff")
    assert messages_of(response) == [
        f"Sara Svensson is admitted to {instance.course.name} {instance.instance_code}."
    ]
    assert response.redirect_chain == [(f"{overview_url(sara)}#course-{new.public_id}", 302)]
    assert history(response.text, new) == [
        ("Siv Berglund", "– → Admitted", "admitted by study administration")
    ]


def test_admit_twice_is_refused_with_the_services_message(
    client_for, admin, sara, place, institution
):
    instance = instance_with_periods(institution)
    client = client_for(admin)
    admit(client, sara, instance)
    before = participation_rows()
    response = admit(client, sara, instance)
    assert messages_of(response) == ["The student already has a place on this course instance."]
    assert participation_rows() == before


def test_admit_offers_only_the_instances_the_admin_manages(client_for, institution, sara, place):
    unit = OrgUnitFactory(institution=institution)
    narrowed = study_admin(institution, username="nina", org_unit=unit)
    ours = instance_with_periods(
        institution, course=CourseFactory(institution=institution, org_unit=unit)
    )
    theirs = instance_with_periods(institution)
    ended = CourseInstanceFactory(course=ours.course, start_date=days(-100), end_date=days(-1))
    client = client_for(narrowed)
    choices = client.get(overview_url(sara)).context["admit_form"].fields["course_instance"]
    assert list(choices.queryset) == [ours]
    before = participation_rows()
    for instance in (theirs, ended):
        response = admit(client, sara, instance)
        assert messages_of(response) == [
            "Nothing was saved: Select a valid choice. That choice is not one of the available "
            "choices."
        ]
    assert participation_rows() == before


# --- Register on the student's behalf -----------------------------------------------------------


def register(client: Client, place: CourseParticipation, sequence: int):
    url = f"{overview_url(place.person)}courses/{place.public_id}/register/"
    return client.post(url, {"sequence": sequence}, follow=True)


def test_register_outside_the_window_with_the_staff_member_in_the_history(client_for, admin, place):
    response = register(client_for(admin), place, 1)
    period = place.course_instance.periods.get(sequence=1)
    registration = Registration.objects.get(participation=place)
    assert (registration.study_period_id, registration.registered_by_id) == (
        period.study_period_id,
        admin.pk,
    )
    place.refresh_from_db()
    assert place.state == S.REGISTERED
    assert messages_of(response) == [
        f"Sara Svensson is registered on {place.course_instance.course.name} "
        f"for {period.study_period.name}."
    ]
    assert history(response.text, place) == [
        ("Siv Berglund", "Admitted → Registered", "study period 1")
    ]


def test_register_twice_is_refused_with_the_services_message(client_for, admin, place):
    client = client_for(admin)
    register(client, place, 1)
    before = participation_rows()
    response = register(client, place, 1)
    assert messages_of(response) == ["The student is already registered for this study period."]
    assert participation_rows() == before


def test_register_on_a_later_period_first_is_refused(client_for, admin, place):
    before = participation_rows()
    response = register(client_for(admin), place, 2)
    assert messages_of(response) == [
        "Register the student for the earlier study periods of the course first."
    ]
    assert participation_rows() == before


def test_register_on_a_period_the_instance_does_not_have_is_404(client_for, admin, place):
    before = participation_rows()
    url = f"{overview_url(place.person)}courses/{place.public_id}/register/"
    assert client_for(admin).post(url, {"sequence": 9}).status_code == 404
    assert participation_rows() == before


def test_register_another_persons_participation_through_this_student_is_404(
    client_for, admin, sara, place, institution
):
    other = CourseParticipationFactory(course_instance=instance_with_periods(institution))
    before = participation_rows()
    url = f"{overview_url(sara)}courses/{other.public_id}/register/"
    assert client_for(admin).post(url, {"sequence": 1}).status_code == 404
    assert participation_rows() == before


def test_admin_narrowed_to_one_course_cannot_register_on_another(
    client_for, institution, sara, place
):
    """A course-narrowed role does not cover courses without an org unit (registration.rules)."""
    narrowed = study_admin(
        institution, username="nina", course=CourseFactory(institution=institution)
    )
    client = client_for(narrowed)
    page = client.get(overview_url(sara)).text
    cells = [row[3] for row in rows(page, f"course-{place.public_id}")]
    assert (
        cells
        == ["Not registered. Only the course's study administrators can register the student."] * 2
    )
    before = participation_rows()
    url = f"{overview_url(sara)}courses/{place.public_id}/register/"
    assert client.post(url, {"sequence": 1}).status_code == 403
    assert participation_rows() == before


# --- Leave of absence ---------------------------------------------------------------------------


def record_leave(client: Client, programme: ProgrammeParticipation, start, end, guaranteed=True):
    url = f"{overview_url(programme.person)}programmes/{programme.public_id}/leave/"
    data = {"start": start.isoformat(), "end": end.isoformat()}
    if guaranteed:
        data["guaranteed_return"] = "on"
    return client.post(url, data, follow=True)


def test_record_leave_with_the_staff_member_in_the_history(client_for, admin, programme):
    response = record_leave(client_for(admin), programme, days(10), days(100), guaranteed=False)
    leave = LeaveOfAbsence.objects.get(programme_participation=programme)
    assert (leave.start_date, leave.end_date, leave.with_guaranteed_return, leave.recorded_by) == (
        days(10),
        days(100),
        False,
        admin,
    )
    span = f"{days(10).isoformat()} – {days(100).isoformat()}"
    assert messages_of(response) == [f"Leave of absence recorded: {span}."]
    assert rows(response.text, f"programme-{programme.public_id}")[-1] == (
        span,
        "No",
        clock.today().isoformat(),
    )
    assert history(response.text, programme) == [
        ("Siv Berglund", "Registered → Registered", f"leave of absence {span}")
    ]


def test_overlapping_leave_is_refused_with_the_services_message(client_for, admin, programme):
    client = client_for(admin)
    record_leave(client, programme, days(10), days(100))
    before = participation_rows()
    response = record_leave(client, programme, days(50), days(150))
    assert messages_of(response) == ["The leave overlaps a leave already recorded."]
    assert participation_rows() == before


def test_leave_ending_before_it_starts_saves_nothing(client_for, admin, programme):
    before = participation_rows()
    response = record_leave(client_for(admin), programme, days(10), days(5))
    assert messages_of(response) == [
        "Nothing was saved: The leave must end on or after the day it starts."
    ]
    assert participation_rows() == before


def test_leave_is_not_offered_on_a_programme_the_student_has_left(client_for, admin, programme):
    programme.state = S.DROPPED
    programme.save()
    client = client_for(admin)
    page = client.get(overview_url(programme.person)).text
    assert "programmes/" not in page
    before = participation_rows()
    response = record_leave(client, programme, days(10), days(20))
    assert messages_of(response) == ["The student is no longer on this programme."]
    assert participation_rows() == before


# --- Crafted requests ---------------------------------------------------------------------------


def test_crafted_posts_by_a_teacher_without_the_role_change_nothing(
    client_for, teacher, sara, place, programme, institution
):
    client = client_for(teacher)
    before = participation_rows()
    responses = [
        client.post(
            f"{overview_url(sara)}admit/",
            {"course_instance": instance_with_periods(institution).public_id},
        ),
        client.post(f"{overview_url(sara)}courses/{place.public_id}/register/", {"sequence": 1}),
        client.post(
            f"{overview_url(sara)}programmes/{programme.public_id}/leave/",
            {"start": days(1).isoformat(), "end": days(2).isoformat()},
        ),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert participation_rows() == before


def test_crafted_posts_by_an_admin_of_another_university_are_404(
    client_for, sara, place, programme, other_institution
):
    client = client_for(study_admin(other_institution, username="ulla"))
    before = participation_rows()
    responses = [
        client.post(f"{overview_url(sara)}courses/{place.public_id}/register/", {"sequence": 1}),
        client.post(
            f"{overview_url(sara)}programmes/{programme.public_id}/leave/",
            {"start": days(1).isoformat(), "end": days(2).isoformat()},
        ),
    ]
    assert [r.status_code for r in responses] == [404, 404]
    assert participation_rows() == before


def test_actions_answer_only_posts(client_for, admin, sara, place):
    url = f"{overview_url(sara)}courses/{place.public_id}/register/"
    assert client_for(admin).get(url).status_code == 405


def test_actions_need_a_csrf_token(admin, sara, place):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    url = f"{overview_url(sara)}courses/{place.public_id}/register/"
    assert client.post(url, {"sequence": 1}).status_code == 403
    assert Registration.objects.count() == 0


def test_history_tells_the_students_own_actions_from_staff_ones(client_for, admin, sara, place):
    sara_login = UserFactory(username="sara", person=sara)
    ParticipationEvent.objects.create(
        institution=place.institution,
        course_participation=place,
        actor=sara_login,
        from_state=S.ADMITTED,
        to_state=S.WITHDRAWN,
        note="withdrawn by the student",
    )
    page = client_for(admin).get(overview_url(sara)).text
    assert history(page, place) == [
        ("Sara Svensson (the student)", "Admitted → Withdrawn", "withdrawn by the student")
    ]
