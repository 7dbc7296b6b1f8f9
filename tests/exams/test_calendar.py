"""B-9: the student's signed-up sessions as an iCalendar feed at a secret link that works without
a login, across every university the student is signed up at; a new link kills the old one."""

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar

from exams.models import CalendarFeed, Signup
from ladokportal import clock, links
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory, CalendarFeedFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = clock.today() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


@pytest.fixture
def me(institution):
    person = PersonFactory(first_name="Maja", language="en")
    enrol(person, institution, state=ParticipationState.REGISTERED)
    return UserFactory(username="maja", person=person)


def session_for(person, institution, **fields):
    instance = enrol(person, institution, state=ParticipationState.REGISTERED).course_instance
    return ActivitySessionFactory(institution=institution, course_instances=[instance], **fields)


def sign_up(person, session) -> Signup:
    return Signup.objects.create(institution=session.institution, session=session, person=person)


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def feed_url(feed: CalendarFeed) -> str:
    return f"/exams/calendar/{feed.token}.ics"


def test_feed_is_a_valid_calendar_of_the_students_sessions_without_a_login(me, institution):
    session = session_for(
        me.person,
        institution,
        name_en="Algebra exam",
        starts_at=at(9, 8, 30),
        ends_at=at(9, 13),
        town="Lund",
        place="Sparta A",
        link="https://exam.example.se/7",
    )
    signup = sign_up(me.person, session)
    feed = CalendarFeedFactory(person=me.person)

    response = Client().get(feed_url(feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "2.0",
        "-//Ladokportal//Exam sessions//EN",
    )
    [event] = calendar.walk("VEVENT")
    code = session.course_instances.get().course.code
    assert {key: str(event[key]) for key in ("UID", "SUMMARY", "LOCATION", "URL")} == {
        "UID": f"{signup.public_id}@ladokportal",
        "SUMMARY": f"Algebra exam ({code})",
        "LOCATION": "Lund, Sparta A",
        "URL": "https://exam.example.se/7",
    }
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start, end) == (at(9, 8, 30), at(9, 13))
    assert (start.utcoffset() is not None, str(start.tzinfo)) == (True, "Europe/Stockholm")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"


def test_feed_has_only_the_persons_active_upcoming_sign_ups(me, institution):
    mine = sign_up(me.person, session_for(me.person, institution, name_en="Mine"))
    cancelled = sign_up(me.person, session_for(me.person, institution, name_en="Cancelled"))
    Signup.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    sign_up(
        me.person,
        session_for(
            me.person, institution, name_en="Past", starts_at=at(-3, 8), ends_at=at(-3, 12)
        ),
    )
    session_for(me.person, institution, name_en="Not signed up")
    other = PersonFactory()
    sign_up(other, session_for(other, institution, name_en="Theirs"))
    feed = CalendarFeedFactory(person=me.person)

    response = Client().get(feed_url(feed))

    assert [str(e["UID"]) for e in events(response)] == [f"{mine.public_id}@ladokportal"]


def test_feed_covers_every_university_the_person_is_signed_up_at(
    me, institution, other_institution
):
    here = sign_up(
        me.person, session_for(me.person, institution, starts_at=at(5, 8), ends_at=at(5, 12))
    )
    there = sign_up(
        me.person,
        session_for(me.person, other_institution, starts_at=at(6, 8), ends_at=at(6, 12)),
    )
    feed = CalendarFeedFactory(person=me.person)

    response = Client().get(feed_url(feed))

    assert [(str(e["UID"]), str(e["DESCRIPTION"])) for e in events(response)] == [
        (f"{here.public_id}@ladokportal", "Lund University"),
        (f"{there.public_id}@ladokportal", "Uppsala University"),
    ]


def test_feed_is_written_in_the_persons_language(me, institution):
    me.person.language = "sv"
    me.person.save()
    sign_up(me.person, session_for(me.person, institution, name_sv="Tentamen i algebra"))

    response = Client().get(feed_url(CalendarFeedFactory(person=me.person)))

    [event] = events(response)
    assert str(event["SUMMARY"]).startswith("Tentamen i algebra (")


def test_wrong_token_is_not_found(me, institution):
    CalendarFeedFactory(person=me.person)

    response = Client().get("/exams/calendar/not-the-token.ics")

    assert response.status_code == 404


def test_exam_page_offers_a_calendar_link_once_created(me, client_for):
    client = client_for(me)
    assert "Create a calendar link" in client.get("/exams/").text

    response = client.post("/exams/calendar/", {"show": "signed_up"})

    assert response.url == "/exams/?show=signed_up#calendar"
    page = client.get("/exams/?show=signed_up")
    assert [str(m) for m in page.context["messages"]] == ["Your calendar link has been created."]
    feed = CalendarFeed.objects.get(person=me.person)
    # On SITE_URL, the portal's public address, as every absolute link (#16 point 4).
    link = links.absolute(f"/exams/calendar/{feed.token}.ics")
    assert re.findall(
        r'<input id="calendar-link" type="url" readonly value="([^"]+)"', page.text
    ) == [link]
    assert f'href="webcal://{link.split("://", 1)[1]}"' in page.text
    assert "Create a new link" in page.text


def test_a_new_link_stops_the_old_one(me, institution, client_for):
    sign_up(me.person, session_for(me.person, institution))
    old = CalendarFeedFactory(person=me.person)
    old_url = feed_url(old)
    client = client_for(me)

    response = client.post("/exams/calendar/", follow=True)

    new = CalendarFeed.objects.get(person=me.person)
    assert new.token != old.token
    assert [str(m) for m in response.context["messages"]] == [
        "A new calendar link has been created. The old link no longer works."
    ]
    assert Client().get(old_url).status_code == 404
    assert len(events(Client().get(feed_url(new)))) == 1


def test_calendar_link_is_created_only_by_a_post_of_a_logged_in_student(me, client):
    assert client.post("/exams/calendar/").status_code == 302
    assert CalendarFeed.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow(count, me, institution, django_assert_num_queries):
    for _ in range(count):
        sign_up(me.person, session_for(me.person, institution))
    feed = CalendarFeedFactory(person=me.person)
    client = Client()
    # No login, so no session: the feed with its person, the sign-ups with their sessions and
    # universities, and the sessions' course instances with their courses.
    with django_assert_num_queries(3):
        response = client.get(feed_url(feed))
    assert len(events(response)) == count
