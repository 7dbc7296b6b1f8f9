"""The start page's exam sections (S-HOME-2, G-4): sessions open for sign-up now, with the
sign-up button, and the upcoming sessions the student is signed up for; each only when it has
something to show and the university has it switched on."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from exams.models import Signup
from institutions.models import InstitutionSettings
from ladokportal import clock
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory

pytestmark = pytest.mark.django_db

OPEN_HEADING = '<h2 id="exams-open" class="card__title">Exam sessions open for sign-up</h2>'
SIGNED_HEADING = '<h2 id="exams-signed-up" class="card__title">Your upcoming exam sessions</h2>'


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def at(n: int, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(hour)))


@pytest.fixture
def me(institution):
    person = PersonFactory(first_name="Maja")
    enrol(person, institution, state=ParticipationState.REGISTERED)
    return UserFactory(username="maja", person=person)


@pytest.fixture
def make_session(institution, me):
    instance = me.person.course_participations.get().course_instance

    def make(**fields):
        return ActivitySessionFactory(
            institution=institution, course_instances=[instance], **fields
        )

    return make


def sign_up(user, session, code=None) -> Signup:
    return Signup.objects.create(
        institution=session.institution,
        session=session,
        person=user.person,
        anonymisation_code=code,
    )


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start : page.index("</section>", start)]


def titles(html: str) -> list[str]:
    return re.findall(r'<p class="open-list__title"[^>]*>([^<]+)</p>', html)


def test_start_page_lists_open_sessions_with_a_sign_up_button(me, make_session, client_for):
    later = make_session(name_en="Statistics exam", starts_at=at(30), ends_at=at(30, 13))
    make_session(name_en="Algebra exam", starts_at=at(10), ends_at=at(10, 13))
    make_session(name_en="Not yet open", signup_opens=days(2), signup_closes=days(9))

    page = client_for(me).get("/start/").text

    open_section = section(page, OPEN_HEADING)
    assert titles(open_section) == ["Algebra exam", "Statistics exam"]
    assert f'action="/exams/{later.public_id}/sign-up/"' in open_section
    assert f"Sign up by {days(7).isoformat()}" in open_section
    assert SIGNED_HEADING not in page


def test_start_page_lists_upcoming_signed_up_sessions_with_place_and_code(
    me, make_session, client_for
):
    session = make_session(
        name_en="Algebra exam", town="Lund", place="Sparta A", starts_at=at(5), ends_at=at(5, 12)
    )
    sign_up(me, session, code="TEN1-ACDEF3")
    sign_up(me, make_session(name_en="Past", starts_at=at(-5), ends_at=at(-5, 12)))

    page = client_for(me).get("/start/").text

    signed = section(page, SIGNED_HEADING)
    assert titles(signed) == ["Algebra exam"]
    assert f"{days(5).isoformat()} 08:00</time>–<time" in signed
    assert "Lund, Sparta A" in signed
    assert '<span class="exam-card__code">TEN1-ACDEF3</span>' in signed
    assert OPEN_HEADING not in page  # signed up already: nothing left to sign up for


def test_start_page_has_no_exam_sections_without_sessions(me, client_for):
    page = client_for(me).get("/start/").text

    assert (OPEN_HEADING in page, SIGNED_HEADING in page) == (False, False)


@pytest.mark.parametrize(
    ("switches", "shown"),
    [
        ({"show_exam_signup": False}, (False, True)),
        ({"show_upcoming_exams": False}, (True, False)),
        ({"show_exam_signup": False, "show_upcoming_exams": False}, (False, False)),
    ],
)
def test_switched_off_exam_sections_are_absent(
    switches, shown, me, institution, make_session, client_for
):
    make_session(name_en="Open")
    sign_up(me, make_session(name_en="Signed"))
    InstitutionSettings.objects.filter(institution=institution).update(**switches)

    page = client_for(me).get("/start/").text

    assert (OPEN_HEADING in page, SIGNED_HEADING in page) == shown


def test_signing_up_from_the_start_page_returns_there(me, make_session, client_for):
    session = make_session(name_en="Algebra exam")
    client = client_for(me)

    response = client.post(f"/exams/{session.public_id}/sign-up/", {"next": "/start/"})

    assert response.url == "/start/"
    page = client.get("/start/")
    assert [str(m) for m in page.context["messages"]] == ["You are signed up for Algebra exam."]
    assert titles(section(page.text, SIGNED_HEADING)) == ["Algebra exam"]
    assert OPEN_HEADING not in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_start_page_query_count_does_not_grow_with_sessions(
    count, me, make_session, client_for, django_assert_num_queries
):
    for n in range(count):
        make_session(name_en=f"Open {n}")
        sign_up(me, make_session(name_en=f"Signed {n}"), code=f"C{n}")
    client = client_for(me)
    # The start page's own queries (tests/studentweb/test_query_counts.py), plus, once there are
    # sessions, their course instances, those courses and my sign-ups.
    with django_assert_num_queries(15):
        response = client.get("/start/")
    assert len(titles(response.text)) == 2 * count
