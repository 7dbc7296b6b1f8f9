"""The start page's Show more on a course card (#21 point 1, S-HOME-3, B-1): in place with htmx,
the start page again with the card open without JavaScript, each action the rules allow with
the reason where they do not, and every step returning to the start page."""

import pytest
from django.utils import translation

from institutions.models import InstitutionSettings
from registration.models import ParticipationState
from tests.factories import PersonFactory, UserFactory, participation_with_periods

pytestmark = pytest.mark.django_db

S = ParticipationState
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def me(institution):
    return UserFactory(username="maja", person=PersonFactory(first_name="Maja"))


def test_every_current_course_has_show_more_as_a_link_and_in_place(me, institution, client_for):
    mine = participation_with_periods(me.person, institution)

    text = client_for(me).get("/start/").text

    pid = mine.public_id
    assert f'href="/start/?more={pid}#course-{pid}"' in text
    assert f'hx-get="/courses/{pid}/more/" hx-target="#more-{pid}"' in text
    assert '<dialog id="course-dialog"' in text


def test_without_javascript_the_start_page_opens_the_card(me, institution, client_for):
    mine = participation_with_periods(me.person, institution)
    client = client_for(me)

    moved = client.get(f"/courses/{mine.public_id}/more/")
    text = client.get(f"/start/?more={mine.public_id}").text

    assert moved.status_code == 302
    assert moved["Location"] == f"/start/?more={mine.public_id}#course-{mine.public_id}"
    # Withdrawal (the one entry, S-WD-1) and registration (S-REG-1), returning to the start page.
    assert f'href="/courses/{mine.public_id}/withdraw/?next=/start/"' in text
    assert text.count(f'action="/courses/{mine.public_id}/register/"') == 2  # section and card
    assert f'href="/courses/{mine.public_id}/"' in text


def test_with_htmx_the_card_opens_and_closes_in_place(me, institution, client_for):
    mine = participation_with_periods(me.person, institution, state=S.REGISTERED, registered=1)
    client = client_for(me, **HTMX)

    opened = client.get(f"/courses/{mine.public_id}/more/")
    closed = client.get(f"/courses/{mine.public_id}/more/?less=1")

    assert "<html" not in opened.text
    assert f'href="/courses/{mine.public_id}/drop-out/?next=/start/"' in opened.text
    assert "I do not want to study this course" in opened.text
    assert "Registration period" in opened.text
    assert f'hx-get="/courses/{mine.public_id}/more/"' in closed.text
    assert "drop-out" not in closed.text


def test_what_is_not_allowed_says_why(me, institution, client_for):
    mine = participation_with_periods(me.person, institution, state=S.REGISTERED, registered=1)
    InstitutionSettings.objects.filter(institution=institution).update(allow_dropout=False)

    text = client_for(me, **HTMX).get(f"/courses/{mine.public_id}/more/").text

    assert "drop-out" not in text
    assert "Your university handles dropouts." in text
    assert "Your university handles changes of course instance." in text


def test_a_step_from_the_card_returns_to_the_start_page(me, institution, client_for):
    mine = participation_with_periods(me.person, institution)
    client = client_for(me)

    dialog = client.get(f"/courses/{mine.public_id}/withdraw/?next=/start/").text
    done = client.post(f"/courses/{mine.public_id}/withdraw/", {"next": "/start/"})

    assert '<input type="hidden" name="next" value="/start/">' in dialog
    assert done.status_code == 302 and done["Location"] == "/start/"
    mine.refresh_from_db()
    assert mine.state == S.WITHDRAWN


def test_a_step_never_returns_to_another_site(me, institution, client_for):
    mine = participation_with_periods(me.person, institution)

    done = client_for(me).post(
        f"/courses/{mine.public_id}/withdraw/", {"next": "https://evil.example/"}
    )

    assert done["Location"] == "/education/"


def test_another_students_card_is_not_there(me, institution, client_for):
    other = UserFactory(username="sven", person=PersonFactory())
    theirs = participation_with_periods(other.person, institution)
    participation_with_periods(me.person, institution)
    client = client_for(me)

    assert client.get(f"/courses/{theirs.public_id}/more/", **HTMX).status_code == 404
    assert client.get(f"/courses/{theirs.public_id}/more/?less=1", **HTMX).status_code == 404
    assert "withdraw" not in client.get(f"/start/?more={theirs.public_id}").text
    assert client.get("/start/?more=not-a-uuid").status_code == 200


def test_nobody_is_sent_to_the_login(institution, client):
    mine = participation_with_periods(PersonFactory(), institution)

    response = client.get(f"/courses/{mine.public_id}/more/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_show_more_costs_the_same_however_many_courses(me, institution, client_for):
    """The card's expanded part reads the one course, not the student's others (B-1)."""
    from tests.statements import count_statements

    mine = participation_with_periods(me.person, institution, state=S.REGISTERED, registered=1)
    client = client_for(me, **HTMX)
    client.get(f"/courses/{mine.public_id}/more/")  # session and caches warm
    counts = []
    for more in (1, 6):
        for _ in range(more):
            participation_with_periods(me.person, institution)
        with count_statements() as counted:
            assert client.get(f"/courses/{mine.public_id}/more/").status_code == 200
        counts.append(counted.total)
    assert counts == [8, 8], counts
