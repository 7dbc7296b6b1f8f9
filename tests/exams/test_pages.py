"""The student's exam page (S-EXAM-1..3, S-EXAM-4 through the pages, B-1, G-4): the three
filters, the cards and their details, sign-up and cancellation with and without htmx, every
refusal shown with its reason, and who may see what."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from exams.models import Signup
from institutions.models import InstitutionSettings, LocalTextSlot
from ladokportal import clock
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import LocalTextFactory, PersonFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TODAY = clock.today


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def at(n: int, hour: int = 8, minute: int = 0) -> datetime.datetime:
    """A time in Europe/Stockholm, n days from today."""
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(hour, minute)))


@pytest.fixture
def me(institution):
    """A student registered on a course instance of the university."""
    person = PersonFactory(first_name="Maja")
    enrol(person, institution, state=ParticipationState.REGISTERED)
    return UserFactory(username="maja", person=person)


@pytest.fixture
def instance(me):
    return me.person.course_participations.get().course_instance


@pytest.fixture
def make_session(institution, instance):
    def make(**fields):
        fields.setdefault("course_instances", [instance])
        return ActivitySessionFactory(institution=institution, **fields)

    return make


@pytest.fixture
def stranger(institution):
    """Another student, registered on another course of the same university."""
    person = PersonFactory(first_name="Sven")
    enrol(person, institution, state=ParticipationState.REGISTERED)
    return UserFactory(username="sven", person=person)


def sign_up(user, session) -> Signup:
    return Signup.objects.create(
        institution=session.institution, session=session, person=user.person
    )


def past(**fields) -> dict:
    """Fields of a session 30 days ago, whose sign-up closed before it."""
    return {
        "starts_at": at(-30),
        "ends_at": at(-30, 13),
        "signup_opens": days(-50),
        "signup_closes": days(-35),
        **fields,
    }


def card_names(page: str) -> list[str]:
    return re.findall(
        r'class="card__title exam-card__name" id="exam-[^"]+-name">([^<]+)</h2>', page
    )


def card_html(page: str, session) -> str:
    """The markup of one card."""
    start = page.index(f'id="exam-{session.public_id}"')
    return page[start : page.index("</article>", start)]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def switch(institution, **values) -> None:
    InstitutionSettings.objects.filter(institution=institution).update(**values)


# --- Who sees what ------------------------------------------------------------------------------


def test_exam_page_answers_the_student(me, make_session, client_for):
    make_session(name_en="Algebra exam")

    response = client_for(me).get("/exams/")

    assert response.status_code == 200
    assert card_names(response.text) == ["Algebra exam"]


@pytest.mark.parametrize("suffix", ["", "cancel/"])
def test_card_pages_answer_the_student_they_belong_to(suffix, me, make_session, client_for):
    session = make_session(name_en="Algebra exam")
    sign_up(me, session)

    response = client_for(me).get(f"/exams/{session.public_id}/{suffix}")

    assert response.status_code == 200
    assert card_names(response.text) == (["Algebra exam"] if suffix == "" else [])
    assert "Algebra exam" in response.text


@pytest.mark.parametrize("suffix", ["", "cancel/"])
def test_card_pages_of_a_course_the_student_does_not_take_are_not_found(
    suffix, me, stranger, institution, client_for
):
    theirs = ActivitySessionFactory(
        institution=institution,
        course_instances=[stranger.person.course_participations.get().course_instance],
    )
    sign_up(stranger, theirs)

    response = client_for(me).get(f"/exams/{theirs.public_id}/{suffix}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/exams/", "/exams/{id}/", "/exams/{id}/cancel/", "/exams/calendar/"]
)
def test_exam_pages_need_a_login(url, make_session, client):
    session = make_session()

    response = client.get(url.format(id=session.public_id))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_signing_up_needs_a_login(me, make_session, client):
    session = make_session()

    response = client.post(f"/exams/{session.public_id}/sign-up/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert Signup.objects.count() == 0


def test_staff_without_studies_get_the_not_a_student_page(staff_user, client_for):
    response = client_for(staff_user).get("/exams/")

    assert response.status_code == 403


def test_sign_up_for_a_course_the_student_does_not_take_is_refused_by_the_service(
    me, stranger, institution, client_for
):
    theirs = ActivitySessionFactory(
        institution=institution,
        course_instances=[stranger.person.course_participations.get().course_instance],
    )

    response = client_for(me).post(f"/exams/{theirs.public_id}/sign-up/", follow=True)

    assert messages_of(response) == ["The session is for students registered on its course."]
    assert Signup.objects.count() == 0


def test_sign_up_for_a_session_of_another_university_is_not_found(
    me, institution, other_institution, client_for
):
    elsewhere = enrol(me.person, other_institution, state=ParticipationState.REGISTERED)
    session = ActivitySessionFactory(
        institution=other_institution, course_instances=[elsewhere.course_instance]
    )
    client = client_for(me)
    assert client.get("/exams/").wsgi_request.institution == institution  # the one chosen now

    response = client.post(f"/exams/{session.public_id}/sign-up/")

    assert response.status_code == 404
    assert Signup.objects.count() == 0


def test_cancelling_another_students_sign_up_is_not_found(me, stranger, make_session, client_for):
    session = make_session()
    theirs = sign_up(stranger, session)

    response = client_for(me).post(f"/exams/{session.public_id}/cancel/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


# --- The filters (S-EXAM-2) ---------------------------------------------------------------------


@pytest.fixture
def every_kind(me, stranger, make_session, institution):
    """One session of each kind the filters must tell apart, and some that must never show."""
    make_session(name_en="Later", starts_at=at(30), ends_at=at(30, 13))
    make_session(name_en="Open", starts_at=at(20), ends_at=at(20, 13))
    make_session(name_en="Not yet open", signup_opens=days(3), signup_closes=days(10))
    sign_up(me, make_session(name_en="Signed", starts_at=at(40), ends_at=at(40, 13)))
    sign_up(me, make_session(name_en="Past", **past()))
    sign_up(me, make_session(name_en="Long ago", **past(starts_at=at(-800), ends_at=at(-800, 13))))
    make_session(name_en="Closed", signup_opens=days(-20), signup_closes=days(-1))
    make_session(name_en="Missed", **past())
    cancelled = sign_up(me, make_session(name_en="Cancelled", starts_at=at(25), ends_at=at(25, 9)))
    Signup.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    # A study administrator placed me on a session of a course I do not take.
    other_course = stranger.person.course_participations.get().course_instance
    placed = ActivitySessionFactory(
        institution=institution, name_en="Placed", course_instances=[other_course]
    )
    sign_up(me, placed)
    ActivitySessionFactory(
        institution=institution, name_en="Theirs", course_instances=[other_course]
    )


@pytest.mark.parametrize(
    ("show", "names"),
    [
        ("not_signed_up", ["Open", "Not yet open", "Cancelled", "Later"]),
        ("signed_up", ["Placed", "Signed"]),
        ("past", ["Past"]),
    ],
)
def test_each_filter_shows_its_own_cards(show, names, every_kind, me, client_for):
    response = client_for(me).get(f"/exams/?show={show}")

    assert card_names(response.text) == names


@pytest.mark.parametrize("query", ["", "?show=everything", "?show="])
def test_not_signed_up_is_the_filter_by_default(query, every_kind, me, client_for):
    response = client_for(me).get(f"/exams/{query}")

    assert card_names(response.text) == ["Open", "Not yet open", "Cancelled", "Later"]
    current = re.findall(r'href="/exams/\?show=(\w+)" aria-current="page">([^<]+)<', response.text)
    assert current == [("not_signed_up", "Not signed up")]


def test_the_chosen_filter_is_marked_current(me, client_for):
    response = client_for(me).get("/exams/?show=past")

    links = re.findall(r'href="/exams/\?show=(\w+)"( aria-current="page")?>([^<]+)<', response.text)
    assert links == [
        ("not_signed_up", "", "Not signed up"),
        ("signed_up", "", "Signed up"),
        ("past", ' aria-current="page"', "Past"),
    ]


@pytest.mark.parametrize(
    ("show", "message"),
    [
        ("not_signed_up", "There are no upcoming exam sessions for you to sign up for."),
        ("signed_up", "You are not signed up for any upcoming exam session."),
        ("past", "You have no exam sessions from the past two years."),
    ],
)
def test_an_empty_filter_says_so(show, message, me, client_for):
    response = client_for(me).get(f"/exams/?show={show}")

    assert card_names(response.text) == []
    assert message in response.text


# --- The cards (S-EXAM-1) -----------------------------------------------------------------------


def test_card_shows_name_kind_time_in_stockholm_and_courses(me, instance, make_session, client_for):
    session = make_session(
        name_en="Algebra exam", kind="retake", starts_at=at(9, 8, 30), ends_at=at(9, 13)
    )

    card = card_html(client_for(me).get("/exams/").text, session)

    when = re.search(r"<dd><time [^>]*>([^<]+)</time>–<time [^>]*>([^<]+)</time>\s*</dd>", card)
    assert when.groups() == (f"{days(9).isoformat()} 08:30", "13:00")
    assert '<span class="badge">Re-take</span>' in card
    course = instance.course
    assert re.findall(r"<li>([^<]+)</li>", card) == [f"{course.name} ({course.code})"]


def test_a_session_over_several_days_shows_the_end_date(me, make_session, client_for):
    session = make_session(kind="home", starts_at=at(9, 9), ends_at=at(11, 17))

    card = card_html(client_for(me).get("/exams/").text, session)

    times = re.findall(r"<time [^>]*>([^<]+)</time>", card)
    assert times == [f"{days(9).isoformat()} 09:00", f"{days(11).isoformat()} 17:00"]


def test_card_of_a_session_of_several_courses_lists_them_all(
    me, instance, institution, make_session, client_for
):
    other = enrol(PersonFactory(), institution).course_instance
    session = make_session(course_instances=[instance, other])

    card = card_html(client_for(me).get("/exams/").text, session)

    assert "<dt>Courses</dt>" in card
    assert re.findall(r"<li>([^<]+)</li>", card) == sorted(
        f"{i.course.name} ({i.course.code})" for i in (instance, other)
    )


def test_expanded_card_shows_period_town_place_link_and_the_students_code(
    me, make_session, client_for
):
    session = make_session(
        anonymous=True,
        town="Lund",
        place="Sparta A",
        link="https://exam.example.se/room/7",
        signup_opens=days(-7),
        signup_closes=days(7),
    )
    Signup.objects.create(
        institution=session.institution,
        session=session,
        person=me.person,
        anonymisation_code="TEN1-ACDEF3",
    )

    card = card_html(client_for(me).get("/exams/?show=signed_up").text, session)

    details = card[card.index("<details") :]
    facts = re.findall(r"<dt>([^<]+)</dt>\s*<dd[^>]*>(.*?)</dd>", details, re.S)
    assert facts == [
        ("Sign-up period", f"{days(-7).isoformat()} – {days(7).isoformat()}"),
        ("Town", "Lund"),
        ("Place or room", "Sparta A"),
        (
            "Link",
            '<a href="https://exam.example.se/room/7" rel="noopener noreferrer">'
            "https://exam.example.se/room/7</a>",
        ),
        ("Your anonymisation code", "TEN1-ACDEF3"),
    ]


def test_nobody_elses_code_is_on_the_students_card(me, stranger, make_session, client_for):
    session = make_session(anonymous=True)
    session.course_instances.add(stranger.person.course_participations.get().course_instance)
    Signup.objects.create(
        institution=session.institution,
        session=session,
        person=stranger.person,
        anonymisation_code="TEN1-XXXXXX",
    )

    page = client_for(me).get("/exams/").text

    assert "TEN1-XXXXXX" not in page
    assert "Your anonymisation code" not in card_html(page, session)


def test_the_universitys_exam_text_is_at_the_top(me, institution, make_session, client_for):
    LocalTextFactory(
        institution=institution, slot=LocalTextSlot.EXAMS, body_en="<p>Bring your ID card.</p>"
    )
    make_session()

    page = client_for(me).get("/exams/").text

    main = page[page.index('<main id="main"') :]
    text = main.index('<div class="local-text"><p>Bring your ID card.</p></div>')
    assert main.index("<h1>Exam sessions</h1>") < text < main.index('<nav class="exam-filter"')
    assert "Welcome to Lund University" not in page  # the start page's text stays there


def test_the_exam_page_is_in_the_student_menu(me, client_for):
    page = client_for(me).get("/start/").text

    assert '<a href="/exams/">Exam sessions</a>' in page


# --- Signing up (S-EXAM-1, S-EXAM-4, B-1) -------------------------------------------------------


def test_signing_up_from_the_card_takes_a_place_and_says_so(me, make_session, client_for):
    session = make_session(name_en="Algebra exam")
    client = client_for(me)
    assert '<button type="submit" class="button">Sign up' in card_html(
        client.get("/exams/").text, session
    )

    response = client.post(f"/exams/{session.public_id}/sign-up/", {"show": "not_signed_up"})

    assert response.status_code == 302
    assert response.url == "/exams/?show=not_signed_up"
    followed = client.get(response.url)
    assert messages_of(followed) == ["You are signed up for Algebra exam."]
    assert card_names(followed.text) == []
    assert Signup.objects.get().person == me.person
    assert card_names(client.get("/exams/?show=signed_up").text) == ["Algebra exam"]


def test_signing_up_for_an_anonymous_session_tells_the_code(me, make_session, client_for):
    session = make_session(name_en="Algebra exam", anonymous=True, label="TEN1")

    response = client_for(me).post(f"/exams/{session.public_id}/sign-up/", follow=True)

    code = Signup.objects.get().anonymisation_code
    assert code.startswith("TEN1-")
    assert messages_of(response) == [
        f"You are signed up for Algebra exam. Your anonymisation code is {code}."
    ]


@pytest.fixture
def full_session(make_session, institution, instance):
    session = make_session(capacity=1)
    someone = PersonFactory()
    Signup.objects.create(institution=institution, session=session, person=someone)
    return session


REFUSALS = {
    "full": "The session is full: all 1 places are taken.",
    "not yet open": f"Sign-up opens {days(3).isoformat()}.",
    "closed": f"Sign-up closed {days(-1).isoformat()}.",
    "twice": "You are signed up.",
}


@pytest.fixture
def refused(request, me, make_session, full_session):
    """A session the student cannot sign up for, for each reason."""
    case = request.param
    if case == "full":
        return full_session
    if case == "not yet open":
        return make_session(signup_opens=days(3), signup_closes=days(10))
    if case == "closed":
        return make_session(signup_opens=days(-10), signup_closes=days(-1))
    session = make_session()
    sign_up(me, session)
    return session


@pytest.mark.parametrize("refused", list(REFUSALS), indirect=True)
def test_a_refused_sign_up_shows_why_and_takes_no_place(request, refused, me, client_for):
    case = request.node.callspec.params["refused"]
    before = Signup.objects.count()

    response = client_for(me).post(f"/exams/{refused.public_id}/sign-up/", follow=True)

    assert messages_of(response) == [REFUSALS[case]]
    assert Signup.objects.count() == before


@pytest.mark.parametrize(
    ("refused", "show"),
    [("full", "not_signed_up"), ("not yet open", "not_signed_up"), ("twice", "signed_up")],
    indirect=["refused"],
)
def test_a_card_without_a_sign_up_button_says_why(request, refused, show, me, client_for):
    case = request.node.callspec.params["refused"]

    card = card_html(client_for(me).get(f"/exams/?show={show}").text, refused)

    assert "sign-up/" not in card
    assert re.findall(r'<div class="exam-card__action">\s*<p class="reason">([^<]+)</p>', card) == [
        REFUSALS[case]
    ]


def test_sign_up_with_htmx_swaps_the_card_in_place(me, make_session, client_for):
    session = make_session(name_en="Algebra exam")

    response = client_for(me).post(
        f"/exams/{session.public_id}/sign-up/", {"show": "not_signed_up"}, headers=HTMX
    )

    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    text = response.text
    assert text.lstrip().startswith(
        f'<article class="card exam-card" id="exam-{session.public_id}"'
    )
    assert "<html" not in text
    assert re.findall(r'role="status">([^<]+)<', text) == ["You are signed up for Algebra exam."]
    assert "sign-up/" not in text
    assert '<details class="exam-card__details" open>' in text
    assert Signup.objects.get().person == me.person


def test_a_refused_sign_up_with_htmx_shows_the_reason_in_the_card(me, full_session, client_for):
    response = client_for(me).post(f"/exams/{full_session.public_id}/sign-up/", headers=HTMX)

    assert response.status_code == 200
    assert re.findall(r'role="alert">([^<]+)<', response.text) == [REFUSALS["full"]]
    assert Signup.objects.filter(person=me.person).count() == 0


def test_a_refused_sign_up_for_a_session_not_ones_own_with_htmx_goes_back_with_a_message(
    me, stranger, institution, client_for
):
    theirs = ActivitySessionFactory(
        institution=institution,
        course_instances=[stranger.person.course_participations.get().course_instance],
    )
    client = client_for(me)

    response = client.post(f"/exams/{theirs.public_id}/sign-up/", headers=HTMX)

    assert response.headers["HX-Redirect"] == "/exams/?show=not_signed_up"
    assert messages_of(client.get("/exams/")) == [
        "The session is for students registered on its course."
    ]


def test_a_post_returns_only_to_a_page_of_the_portal(me, make_session, client_for):
    session = make_session()

    response = client_for(me).post(
        f"/exams/{session.public_id}/sign-up/", {"next": "https://evil.example/", "show": "past"}
    )

    assert response.url == "/exams/?show=past"


@pytest.mark.parametrize(
    "target",
    ["x", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/a\nb", "/" * 3000],
)
def test_a_next_that_is_no_local_path_is_ignored_not_a_500(me, make_session, client_for, target):
    """#17 point 4: next=x was taken for a view name, failing after the sign-up was saved."""
    session = make_session()

    response = client_for(me).post(
        f"/exams/{session.public_id}/sign-up/", {"next": target, "show": "past"}
    )

    assert (response.status_code, response.url) == (302, "/exams/?show=past")
    assert Signup.objects.count() == 1


def test_sign_up_needs_a_post(me, make_session, client_for):
    session = make_session()

    response = client_for(me).get(f"/exams/{session.public_id}/sign-up/")

    assert response.status_code == 405
    assert Signup.objects.count() == 0


def test_sign_up_without_csrf_is_refused(me, make_session):
    session = make_session()
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)

    response = client.post(f"/exams/{session.public_id}/sign-up/")

    assert response.status_code == 403
    assert Signup.objects.count() == 0


# --- Cancelling (S-EXAM-1, G-4) -----------------------------------------------------------------


@pytest.fixture
def mine(me, make_session):
    session = make_session(name_en="Algebra exam")
    return sign_up(me, session)


def cancel_link(card: str) -> list[str]:
    return re.findall(r'<a class="button button--secondary" href="([^"]+)"', card)


def test_the_expanded_card_offers_cancellation(mine, me, client_for):
    card = card_html(client_for(me).get("/exams/?show=signed_up").text, mine.session)

    url = f"/exams/{mine.session.public_id}/cancel/?show=signed_up"
    assert cancel_link(card) == [url]
    assert card.index("<details") < card.index(url)


def test_cancelling_asks_first_on_a_page_of_its_own(mine, me, client_for):
    response = client_for(me).get(f"/exams/{mine.session.public_id}/cancel/?show=signed_up")

    text = response.text
    assert "<h1>Cancel sign-up</h1>" in text
    assert re.findall(r'<form method="post" action="([^"]+)"', text) == [
        f"/exams/{mine.session.public_id}/cancel/"
    ]
    assert "Yes, cancel my sign-up" in text
    assert Signup.objects.get().cancelled_at is None


def test_cancelling_with_htmx_asks_inside_the_card(mine, me, client_for):
    response = client_for(me).get(f"/exams/{mine.session.public_id}/cancel/", headers=HTMX)

    text = response.text
    assert text.lstrip().startswith('<div class="exam-confirm">')
    assert "<html" not in text
    assert f'hx-target="#exam-{mine.session.public_id}"' in text
    assert "HX-Request" in response.headers["Vary"]


def test_confirmed_cancellation_frees_the_place_and_goes_back(mine, me, client_for):
    client = client_for(me)

    response = client.post(f"/exams/{mine.session.public_id}/cancel/", {"show": "signed_up"})

    assert response.url == "/exams/?show=signed_up"
    followed = client.get(response.url)
    assert messages_of(followed) == ["Your sign-up for Algebra exam has been cancelled."]
    assert card_names(followed.text) == []
    mine.refresh_from_db()
    assert (mine.cancelled_at is not None, mine.cancelled_by) == (True, me)


def test_confirmed_cancellation_with_htmx_returns_the_card_ready_to_sign_up_again(
    mine, me, client_for
):
    response = client_for(me).post(f"/exams/{mine.session.public_id}/cancel/", headers=HTMX)

    text = response.text
    assert text.lstrip().startswith(
        f'<article class="card exam-card" id="exam-{mine.session.public_id}"'
    )
    assert re.findall(r'role="status">([^<]+)<', text) == [
        "Your sign-up for Algebra exam has been cancelled."
    ]
    assert f'action="/exams/{mine.session.public_id}/sign-up/"' in text
    mine.refresh_from_db()
    assert mine.cancelled_at is not None


def test_keeping_the_sign_up_with_htmx_restores_the_card(mine, me, client_for):
    response = client_for(me).get(f"/exams/{mine.session.public_id}/?show=signed_up", headers=HTMX)

    assert response.text.lstrip().startswith('<article class="card exam-card"')
    assert cancel_link(response.text) == [f"/exams/{mine.session.public_id}/cancel/?show=signed_up"]


CONTACT = "Contact your university's study administration to cancel this sign-up."


@pytest.fixture(params=["university", "session"])
def cancel_not_allowed(request, mine, institution):
    if request.param == "university":
        switch(institution, allow_exam_cancel=False)
    else:
        mine.session.students_may_cancel = False
        mine.session.save()
    return mine


def test_cancellation_is_absent_where_not_allowed_and_says_why(cancel_not_allowed, me, client_for):
    card = card_html(client_for(me).get("/exams/?show=signed_up").text, cancel_not_allowed.session)

    assert "cancel/" not in card
    reasons = re.findall(
        r'<p class="reason"><span class="reason__action">Cancel sign-up:</span> ([^<]+)</p>', card
    )
    assert [html.unescape(reason) for reason in reasons] == [CONTACT]


def test_cancellation_page_where_not_allowed_offers_no_form(cancel_not_allowed, me, client_for):
    response = client_for(me).get(f"/exams/{cancel_not_allowed.session.public_id}/cancel/")

    assert "Yes, cancel my sign-up" not in response.text
    reasons = re.findall(r'<p class="reason">([^<]+)</p>', response.text)
    assert [html.unescape(reason) for reason in reasons] == [CONTACT]


def test_cancellation_is_refused_where_not_allowed(cancel_not_allowed, me, client_for):
    response = client_for(me).post(
        f"/exams/{cancel_not_allowed.session.public_id}/cancel/", follow=True
    )

    assert messages_of(response) == [CONTACT]
    cancel_not_allowed.refresh_from_db()
    assert cancel_not_allowed.cancelled_at is None


def test_cancellation_after_the_sign_up_period_is_refused(mine, me, client_for):
    mine.session.signup_opens = days(-10)
    mine.session.signup_closes = days(-1)
    mine.session.save()

    response = client_for(me).post(f"/exams/{mine.session.public_id}/cancel/", follow=True)

    assert messages_of(response) == [
        "Sign-ups can no longer be cancelled: the sign-up period is over."
    ]
    mine.refresh_from_db()
    assert mine.cancelled_at is None


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("show", ["not_signed_up", "signed_up"])
def test_exam_page_query_count_does_not_grow(
    count, show, me, make_session, client_for, django_assert_num_queries
):
    for n in range(count):
        session = make_session(anonymous=True)
        if show == "signed_up":
            Signup.objects.create(
                institution=session.institution,
                session=session,
                person=me.person,
                anonymisation_code=f"C{n}",
            )
    client = client_for(me)
    # Session, user, person, universities with settings, the local text, the calendar link,
    # the sessions (with places taken), their course instances, those courses, my sign-ups.
    with django_assert_num_queries(10):
        response = client.get(f"/exams/?show={show}")
    assert len(card_names(response.text)) == count
