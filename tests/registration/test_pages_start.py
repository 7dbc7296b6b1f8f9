"""The start page's Registration and Current courses sections (S-HOME-3, S-REG-1..4, G-4)."""

import datetime

import pytest

from institutions.models import InstitutionSettings
from ladokportal import clock
from registration.models import CourseParticipation, ParticipationState, Registration
from tests.factories import PersonFactory, UserFactory, participation_with_periods

pytestmark = pytest.mark.django_db

S = ParticipationState


@pytest.fixture
def me(institution):
    return UserFactory(username="maja", person=PersonFactory(first_name="Maja"))


@pytest.fixture
def stranger(institution):
    return UserFactory(username="sven", person=PersonFactory(first_name="Sven"))


def course(user, institution, **fields) -> CourseParticipation:
    return participation_with_periods(user.person, institution, **fields)


def register_url(participation) -> str:
    return f"/courses/{participation.public_id}/register/"


def section(page: str, heading_id: str) -> str:
    """The HTML of one start-page section, found by its heading's id ("" when absent)."""
    start = page.find(f'aria-labelledby="{heading_id}"')
    if start == -1:
        return ""
    return page[start : page.index("</section>", start)]


def open_registrations(response) -> list[tuple[str, int]]:
    return [
        (item.row.course.code, item.period.period.sequence)
        for item in response.context["registrations_open"]
    ]


def current(response) -> list[int]:
    return [row.participation.pk for row in response.context["current_courses"]]


# --- Registration (S-REG-1..3) ------------------------------------------------------------------


def test_open_window_lists_the_period_with_a_register_button(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))

    response = client_for(me).get("/start/")

    assert open_registrations(response) == [(mine.course_instance.course.code, 1)]
    html = section(response.text, "registrations-open")
    assert html.count(f'action="{register_url(mine)}"') == 1
    assert "First registration, study period" in html


def test_period_opening_later_shows_days_until_registration_opens(me, institution, client_for):
    mine = course(me, institution, windows=((4, 14),))
    opens = (clock.today() + datetime.timedelta(days=4)).isoformat()

    response = client_for(me).get("/start/")

    assert open_registrations(response) == []
    assert section(response.text, "registrations-open") == ""
    courses = section(response.text, "current-courses")
    assert f"Registration opens in 4 days ({opens})." in courses
    assert register_url(mine) not in response.text


@pytest.mark.parametrize("windows", [((-20, -10),), (None,)], ids=["closed", "no window"])
def test_period_closed_or_without_window_is_listed_without_button_or_days(
    windows, me, institution, client_for
):
    mine = course(me, institution, windows=windows)

    response = client_for(me).get("/start/")

    assert current(response) == [mine.pk]
    assert register_url(mine) not in response.text
    assert "Registration opens in" not in response.text


def test_continuation_registration_names_the_study_period(me, institution, client_for):
    mine = course(
        me, institution, state=S.REGISTERED, start=-50, windows=((-60, -50), (-3, 3)), registered=1
    )
    second = mine.course_instance.periods.get(sequence=2).study_period

    response = client_for(me).get("/start/")

    assert open_registrations(response) == [(mine.course_instance.course.code, 2)]
    html = section(response.text, "registrations-open")
    assert f"Continuation registration for study period 2: {second.name}" in html
    assert "First registration" not in html


def test_register_from_the_start_page_registers_and_returns_there(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))
    client = client_for(me)

    response = client.post(register_url(mine), {"period": 1, "next": "/start/"})

    assert (response.status_code, response.url) == (302, "/start/")
    mine.refresh_from_db()
    assert (mine.state, mine.registrations.count()) == (S.REGISTERED, 1)
    page = client.get("/start/")
    assert [str(m) for m in page.context["messages"]] == [
        f"You are registered on {mine.course_instance.course.name} for "
        f"{mine.course_instance.periods.get().study_period.name}."
    ]
    assert open_registrations(page) == []


def test_registering_twice_is_refused_with_a_message(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))
    client = client_for(me)
    client.post(register_url(mine), {"period": 1, "next": "/start/"})

    client.post(register_url(mine), {"period": 1, "next": "/start/"})

    messages = [str(m) for m in client.get("/start/").context["messages"]]
    assert messages[-1] == "You are already registered for this study period."
    assert Registration.objects.filter(participation=mine).count() == 1


def test_crafted_registration_before_the_window_is_refused(me, institution, client_for):
    mine = course(me, institution, windows=((4, 14),))
    opens = (clock.today() + datetime.timedelta(days=4)).isoformat()
    client = client_for(me)

    client.post(register_url(mine), {"period": 1, "next": "/start/"})

    assert [str(m) for m in client.get("/start/").context["messages"]] == [
        f"Registration opens {opens}."
    ]
    mine.refresh_from_db()
    assert (mine.state, mine.registrations.count()) == (S.ADMITTED, 0)


def test_register_on_another_students_course_is_not_found(me, stranger, institution, client_for):
    theirs = course(stranger, institution, windows=((-5, 5),))
    course(me, institution)

    response = client_for(me).post(register_url(theirs), {"period": 1})

    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_register_needs_a_login(me, institution, client):
    mine = course(me, institution, windows=((-5, 5),))

    response = client.post(register_url(mine), {"period": 1})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert Registration.objects.count() == 0


def test_register_does_not_follow_a_next_to_another_site(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))

    response = client_for(me).post(
        register_url(mine), {"period": 1, "next": "https://evil.example/"}
    )

    assert response.url == f"/courses/{mine.public_id}/"


# --- Current courses (S-HOME-3) -----------------------------------------------------------------

# (state, early dropout, start, length in days from today) → shown?
CASES = [
    ("admitted upcoming", S.ADMITTED, False, 30, 60, True),
    ("expected upcoming", S.EXPECTED, False, 30, 60, True),
    ("registered ongoing", S.REGISTERED, False, -30, 60, True),
    ("later dropout during its period", S.DROPPED, False, -40, 60, True),
    ("later dropout after its period", S.DROPPED, False, -100, 60, False),
    ("early dropout", S.DROPPED, True, -5, 60, False),
    ("withdrawn", S.WITHDRAWN, False, 30, 60, False),
    ("application removed", S.CANCELLED, False, 30, 60, False),
    ("changed instance", S.CHANGED_INSTANCE, False, 30, 60, False),
    ("admitted, ended without starting", S.ADMITTED, False, -100, 60, False),
    ("completed", S.COMPLETED, False, -100, 60, False),
]


@pytest.mark.parametrize(
    ("state", "early", "start", "length", "shown"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_current_courses_show_only_upcoming_and_ongoing_places(
    state, early, start, length, shown, me, institution, client_for
):
    anchor = course(me, institution, start=5)  # so the person studies here whatever the case
    case = course(
        me, institution, state=state, early_dropout=early, start=start, length=length, windows=()
    )

    response = client_for(me).get("/start/")

    expected = sorted(
        [anchor, case] if shown else [anchor], key=lambda p: p.course_instance.start_date
    )
    assert current(response) == [p.pk for p in expected]
    name = case.course_instance.course.name
    assert (name in section(response.text, "current-courses")) is shown


def test_current_courses_show_status_dates_credits_and_link(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, start=-10, registered=1)
    instance = mine.course_instance

    html = section(client_for(me).get("/start/").text, "current-courses")

    assert f'href="/courses/{mine.public_id}/"' in html
    assert f"{instance.start_date.isoformat()} – {instance.end_date.isoformat()}" in html
    assert "7.5 credits" in html
    assert "Registered" in html


def test_another_students_courses_are_not_on_my_start_page(me, stranger, institution, client_for):
    mine = course(me, institution)
    course(stranger, institution, windows=((-5, 5),))

    response = client_for(me).get("/start/")

    assert current(response) == [mine.pk]
    assert open_registrations(response) == [(mine.course_instance.course.code, 1)]


# --- Switches (G-4) -----------------------------------------------------------------------------


def test_registrations_switched_off_leave_no_register_button(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))
    InstitutionSettings.objects.filter(institution=institution).update(show_registrations=False)

    page = client_for(me).get("/start/").text

    assert section(page, "registrations-open") == ""
    assert register_url(mine) not in page
    assert mine.course_instance.course.name in section(page, "current-courses")


def test_current_courses_switched_off_are_not_on_the_page(me, institution, client_for):
    upcoming = course(me, institution, windows=((4, 14),))
    InstitutionSettings.objects.filter(institution=institution).update(show_current_courses=False)

    page = client_for(me).get("/start/").text

    assert section(page, "current-courses") == ""
    assert upcoming.course_instance.course.name not in page
    assert "Registration opens in" not in page


def test_with_both_sections_off_no_course_is_on_the_page(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))
    InstitutionSettings.objects.filter(institution=institution).update(
        show_registrations=False, show_current_courses=False
    )

    page = client_for(me).get("/start/").text

    assert register_url(mine) not in page
    assert mine.course_instance.course.name not in page


# --- Query count --------------------------------------------------------------------------------


@pytest.mark.parametrize("courses", [1, 3])
def test_start_page_query_count_does_not_grow(
    courses, me, institution, client_for, django_assert_num_queries
):
    for _ in range(courses):
        course(me, institution, windows=((-5, 5), (40, 50)), state=S.ADMITTED)
    # The other sections of the page are counted where they are built; off here, they cost none.
    InstitutionSettings.objects.filter(institution=institution).update(
        show_study_choices=False,
        show_applications=False,
        show_exam_signup=False,
        show_upcoming_exams=False,
    )
    client = client_for(me)

    # Session, user, person, universities, local text, new results (S-HOME-1); courses, their
    # study periods, their registrations (shared by both sections).
    with django_assert_num_queries(9):
        response = client.get("/start/")

    assert len(response.context["current_courses"]) == courses
    assert len(response.context["registrations_open"]) == courses


def test_start_page_sections_switched_off_cost_no_query(
    me, institution, client_for, django_assert_num_queries
):
    course(me, institution)
    InstitutionSettings.objects.filter(institution=institution).update(
        show_study_choices=False,
        show_applications=False,
        show_exam_signup=False,
        show_upcoming_exams=False,
        show_registrations=False,
        show_current_courses=False,
        show_new_results=False,
    )
    client = client_for(me)

    # Session, user, person, universities, local text.
    with django_assert_num_queries(5):
        client.get("/start/")
