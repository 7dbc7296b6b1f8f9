"""My education (S-EDU-1, S-EDU-2): what is shown and hidden, the filters, the credit summary
computed in the database, and the menu link."""

from decimal import Decimal

import pytest
from django.utils import translation

from registration.models import CourseParticipation, ParticipationState
from tests.factories import (
    PersonFactory,
    ProgrammeParticipationFactory,
    UserFactory,
    participation_with_periods,
)

pytestmark = pytest.mark.django_db

S = ParticipationState


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def me(institution):
    return UserFactory(username="maja", person=PersonFactory(first_name="Maja"))


def course(user, institution, **fields) -> CourseParticipation:
    return participation_with_periods(user.person, institution, windows=(), **fields)


def shown(response) -> list[int]:
    education = response.context["education"]
    in_programmes = [row.participation.pk for g in education.programmes for row in g.courses]
    return in_programmes + [row.participation.pk for row in education.courses]


def test_my_education_answers_its_owner_only(me, institution, client_for, client):
    course(me, institution)

    mine = client_for(me).get("/education/")
    anonymous = client.get("/education/")

    assert mine.status_code == 200
    assert "<h1>My education</h1>" in mine.text
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")


def test_another_students_courses_are_not_in_my_education(me, institution, client_for):
    mine = course(me, institution)
    stranger = PersonFactory()
    course(UserFactory(person=stranger), institution, state=S.COMPLETED, start=-200)

    response = client_for(me).get("/education/")

    assert shown(response) == [mine.pk]
    assert response.context["education"].completed_credits == Decimal(0)


# (state, early dropout, start, length in days from today) → shown?
CASES = [
    ("admitted upcoming", S.ADMITTED, False, 30, 60, True),
    ("expected ongoing", S.EXPECTED, False, -10, 60, True),
    ("registered", S.REGISTERED, False, -30, 60, True),
    ("completed long ago", S.COMPLETED, False, -400, 60, True),
    ("later dropout during its period", S.DROPPED, False, -40, 60, True),
    ("later dropout after its period", S.DROPPED, False, -400, 60, True),
    ("early dropout", S.DROPPED, True, -5, 60, False),
    ("withdrawn", S.WITHDRAWN, False, 30, 60, False),
    ("application removed", S.CANCELLED, False, 30, 60, False),
    ("changed instance", S.CHANGED_INSTANCE, False, 30, 60, False),
    ("admitted, ended without starting", S.ADMITTED, False, -100, 60, False),
    ("expected, ended without starting", S.EXPECTED, False, -100, 60, False),
]


@pytest.mark.parametrize(
    ("state", "early", "start", "length", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_hidden_and_shown_courses(
    state, early, start, length, expected, me, institution, client_for
):
    anchor = course(me, institution, start=1000)  # the person studies here whatever the case
    case = course(me, institution, state=state, early_dropout=early, start=start, length=length)

    response = client_for(me).get("/education/")

    assert shown(response) == ([case.pk, anchor.pk] if expected else [anchor.pk])
    assert (case.course_instance.course.name in response.text) is expected


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (S.ADMITTED, "Not yet registered"),
        (S.REGISTERED, "Registered"),
        (S.COMPLETED, "Completed"),
        (S.DROPPED, "Dropped out"),
    ],
)
def test_each_course_shows_its_status(state, label, me, institution, client_for):
    mine = course(me, institution, state=state, start=-10)

    response = client_for(me).get("/education/")

    assert [row.status for row in response.context["education"].courses] == [label]
    assert f'<span class="badge badge--{mine.state}">{label}</span>' in response.text


def test_programmes_carry_their_courses_and_stand_alone_courses_stand_alone(
    me, institution, client_for
):
    programme = ProgrammeParticipationFactory(
        person=me.person, state=S.REGISTERED, programme_instance__programme__institution=institution
    )
    inside = course(me, institution, state=S.REGISTERED, programme_participation=programme)
    alone = course(me, institution, state=S.ADMITTED)

    education = client_for(me).get("/education/").context["education"]

    assert [
        (g.participation.pk, [r.participation.pk for r in g.courses]) for g in education.programmes
    ] == [(programme.pk, [inside.pk])]
    assert [row.participation.pk for row in education.courses] == [alone.pk]


@pytest.mark.parametrize(
    ("state", "expected"),
    [(S.DROPPED, True), (S.REGISTERED, True), (S.WITHDRAWN, False), (S.CANCELLED, False)],
)
def test_programme_with_dropout_stays_and_withdrawn_one_goes(
    state, expected, me, institution, client_for
):
    course(me, institution)
    programme = ProgrammeParticipationFactory(
        person=me.person, state=state, programme_instance__programme__institution=institution
    )

    education = client_for(me).get("/education/").context["education"]

    assert [g.participation.pk for g in education.programmes] == (
        [programme.pk] if expected else []
    )


def certified(participation, *, module=None, code="G") -> None:
    """A certified result as the certify service leaves it (the service itself is tested in
    tests/results; here only what My education reads of it matters)."""
    from django.utils import timezone

    from results.models import ResultState
    from tests.factories.results import ResultFactory, grade

    ResultFactory(
        person=participation.person,
        course_instance=participation.course_instance,
        module=module,
        grade=grade(code),
        state=ResultState.CERTIFIED,
        certified_by=UserFactory(),
        certified_at=timezone.now(),
    )


def test_filters_completed_not_completed_credited_and_all(me, institution, client_for):
    """S-EDU-2: Completed is the courses with a certified final grade."""
    done = course(me, institution, state=S.COMPLETED, start=-200)
    certified(done)
    going = course(me, institution, state=S.REGISTERED, start=-10)
    client = client_for(me)

    results = {
        show: shown(client.get("/education/", {"show": show}))
        for show in ("all", "completed", "not_completed", "credited")
    }

    assert results == {
        "all": [done.pk, going.pk],
        "completed": [done.pk],
        "not_completed": [going.pk],
        "credited": [],
    }


def test_credited_filter_says_there_is_nothing_credited(me, institution, client_for):
    course(me, institution, state=S.COMPLETED, start=-200)

    text = client_for(me).get("/education/", {"show": "credited"}).text

    assert "You have no credit transfers at this university." in text
    assert 'value="credited" id="id_show_3" checked' in text


def test_an_unknown_filter_shows_everything(me, institution, client_for):
    mine = course(me, institution)

    response = client_for(me).get("/education/", {"show": "<script>"})

    assert shown(response) == [mine.pk]
    assert response.context["education"].show == "all"


def test_filter_form_works_without_javascript(me, institution, client_for):
    course(me, institution)

    text = client_for(me).get("/education/").text

    assert '<form class="filter-bar" method="get" action="/education/">' in text
    assert 'value="all" id="id_show_0" checked' in text
    assert text.count('name="show"') == 4


def test_summary_sums_completed_credits_in_the_database(me, institution, client_for):
    """From certified results (results.queries.student.credit_summary): a course with a final
    grade counts its credits, one in progress its passed modules, a failed module nothing."""
    from tests.factories import ModuleFactory

    certified(course(me, institution, state=S.COMPLETED, start=-400))
    going = course(me, institution, state=S.REGISTERED, start=-10)
    certified(going, module=ModuleFactory(course=going.course_instance.course, credits=3))
    dropped = course(me, institution, state=S.DROPPED, start=-100)
    certified(dropped, module=ModuleFactory(course=dropped.course_instance.course), code="U")

    response = client_for(me).get("/education/", {"show": "not_completed"})

    education = response.context["education"]
    assert (education.completed_credits, education.credited_credits) == (
        Decimal("10.5"),
        Decimal(0),
    )
    assert "10.5 credits" in response.text


def test_summary_in_swedish_uses_swedish_conventions(me, institution, client_for):
    course(me, institution, state=S.COMPLETED, start=-400)
    client = client_for(me)
    client.post("/language/", {"language": "sv", "next": "/education/"})

    text = client.get("/education/").text

    assert "7,5 hp" in text


def test_menu_links_my_education(me, institution, client_for):
    course(me, institution)

    text = client_for(me).get("/start/").text

    assert text.count('<a href="/education/">My education</a>') == 1


@pytest.mark.parametrize("items", [1, 3])
def test_my_education_query_count_does_not_grow(
    items, me, institution, client_for, django_assert_num_queries
):
    for _ in range(items):
        programme = ProgrammeParticipationFactory(
            person=me.person,
            state=S.REGISTERED,
            programme_instance__programme__institution=institution,
        )
        course(me, institution, state=S.REGISTERED, programme_participation=programme)
        course(me, institution, state=S.COMPLETED, start=-200)
    client = client_for(me)

    # Session, user, person, universities; programmes, courses, the credit sum, the credit
    # transfers shown as other results (S-EDU-1).
    with django_assert_num_queries(8):
        response = client.get("/education/")

    assert len(shown(response)) == 2 * items
