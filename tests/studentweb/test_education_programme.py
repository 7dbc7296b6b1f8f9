"""The programme page (S-EDU-4) and leaving a programme (S-WD-1, S-WD-2, G-4): the dialogs list
the courses the withdrawal or dropout also covers."""

import pytest
from django.utils import translation

from catalog.models import ProgrammeKind
from institutions.models import InstitutionSettings
from registration.models import CourseParticipation, ParticipationState, ProgrammeParticipation
from tests.factories import (
    IndividualStudyPlanFactory,
    LeaveOfAbsenceFactory,
    PersonFactory,
    ProgrammeParticipationFactory,
    StudyActivityFactory,
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


def programme(user, institution, state=S.ADMITTED, **fields) -> ProgrammeParticipation:
    return ProgrammeParticipationFactory(
        person=user.person,
        state=state,
        programme_instance__programme__institution=institution,
        **fields,
    )


def course_in(programme_participation, user, institution, **fields) -> CourseParticipation:
    return participation_with_periods(
        user.person, institution, programme_participation=programme_participation, **fields
    )


def url(participation, action: str = "") -> str:
    return f"/programmes/{participation.public_id}/{action + '/' if action else ''}"


def messages_of(client) -> list[str]:
    return [str(m) for m in client.get("/start/").context["messages"]]


def states(*participations) -> list[str]:
    for p in participations:
        p.refresh_from_db()
    return [p.state for p in participations]


PAGES = ["", "withdraw", "drop-out"]


@pytest.mark.parametrize("action", PAGES)
def test_programme_pages_answer_their_owner(action, me, institution, client_for):
    mine = programme(me, institution)

    response = client_for(me).get(url(mine, action))

    assert response.status_code == 200
    assert f"<h1>{mine.programme_instance.programme.name}</h1>" in response.text


@pytest.mark.parametrize("action", PAGES)
def test_programme_pages_of_another_student_are_not_found(action, me, institution, client_for):
    programme(me, institution)
    stranger = UserFactory(username="sven", person=PersonFactory())
    theirs = programme(stranger, institution)

    response = client_for(me).get(url(theirs, action))
    posted = client_for(me).post(url(theirs, action))

    assert (response.status_code, posted.status_code) == (404, 404)
    assert states(theirs) == [S.ADMITTED]


@pytest.mark.parametrize("action", PAGES)
def test_programme_pages_need_a_login(action, me, institution, client):
    mine = programme(me, institution)

    response = client.get(url(mine, action))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_programme_page_shows_study_period_town_instance_code_and_leave(
    me, institution, client_for
):
    mine = programme(me, institution, programme_instance__town="Malmö")
    leave = LeaveOfAbsenceFactory(programme_participation=mine)
    instance = mine.programme_instance

    text = client_for(me).get(url(mine)).text

    for fact in (
        instance.programme.code,
        "Malmö",
        instance.instance_code,
        f"{instance.start_date.isoformat()} – {instance.end_date.isoformat()}",
        f"{leave.start_date.isoformat()} – {leave.end_date.isoformat()} "
        "(with a guaranteed place on return)",
    ):
        assert fact in text
    assert "Individual study plan" not in text


def test_programme_page_lists_its_courses_but_not_the_left_ones(me, institution, client_for):
    mine = programme(me, institution, state=S.REGISTERED)
    taken = course_in(mine, me, institution, state=S.REGISTERED, registered=1, start=-20)
    course_in(mine, me, institution, state=S.WITHDRAWN)
    course_in(mine, me, institution, state=S.DROPPED, early_dropout=True, start=-5)

    response = client_for(me).get(url(mine))

    assert [row.participation.pk for row in response.context["page"].courses] == [taken.pk]


def test_doctoral_students_see_their_study_plan_and_activity(me, institution, client_for):
    mine = programme(
        me, institution, programme_instance__programme__kind=ProgrammeKind.DOCTORAL_SUBJECT
    )
    plan = IndividualStudyPlanFactory(programme_participation=mine, summary_en="Thesis on Ladok.")
    activity = StudyActivityFactory(programme_participation=mine, activity_percent=80)

    text = client_for(me).get(url(mine)).text

    assert "Individual study plan" in text
    assert plan.main_supervisor in text
    assert "Thesis on Ladok." in text
    assert (f"{activity.start_date.isoformat()} – {activity.end_date.isoformat()}: 80 %") in text


def test_withdrawal_dialog_lists_the_courses_it_also_covers(me, institution, client_for):
    mine = programme(me, institution)
    first = course_in(mine, me, institution)
    second = course_in(mine, me, institution, state=S.EXPECTED)
    course_in(mine, me, institution, state=S.CANCELLED)

    client = client_for(me)
    page = client.get(url(mine, "withdraw")).context["page"]
    text = client.get(url(mine, "withdraw"), headers={"HX-Request": "true"}).text

    assert [c.participation.pk for c in page.covered] == [first.pk, second.pk]
    assert "You also withdraw from these courses:" in text
    for covered in (first, second):
        assert text.count(covered.course_instance.course.name) == 1
    assert text.count("<li>") == 2


def test_withdrawal_dialog_with_htmx_is_the_partial(me, institution, client_for):
    mine = programme(me, institution)

    response = client_for(me).get(url(mine, "withdraw"), headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert response.text.count(f'action="{url(mine, "withdraw")}"') == 1


def test_withdrawal_from_the_programme_withdraws_its_courses(me, institution, client_for):
    mine = programme(me, institution)
    first = course_in(mine, me, institution)
    client = client_for(me)

    response = client.post(url(mine, "withdraw"))

    assert (response.status_code, response.url) == (302, "/education/")
    assert states(mine, first) == [S.WITHDRAWN, S.WITHDRAWN]
    education = client.get("/education/")
    assert [str(m) for m in education.context["messages"]] == [
        f"You have withdrawn from {mine.programme_instance.programme.name}. "
        f"Also withdrawn: {first.course_instance.course.name}."
    ]
    assert education.context["education"].programmes == []


def test_withdrawal_switched_off_is_absent_and_a_crafted_post_is_refused(
    me, institution, client_for
):
    mine = programme(me, institution)
    first = course_in(mine, me, institution)
    InstitutionSettings.objects.filter(institution=institution).update(allow_withdrawal=False)
    client = client_for(me)

    text = client.get(url(mine)).text
    client.post(url(mine, "withdraw"))

    assert url(mine, "withdraw") not in text
    assert messages_of(client) == [
        "Your university handles withdrawals. Contact your university's study administration."
    ]
    assert states(mine, first) == [S.ADMITTED, S.ADMITTED]


def test_dropout_dialog_lists_what_happens_to_each_course(me, institution, client_for):
    mine = programme(me, institution, state=S.REGISTERED)
    later = course_in(mine, me, institution, state=S.REGISTERED, registered=1, start=-40)
    early = course_in(mine, me, institution, state=S.REGISTERED, registered=1, start=-3)
    waiting = course_in(mine, me, institution, state=S.ADMITTED, start=60)

    text = client_for(me).get(url(mine, "drop-out")).text

    assert "The dropout applies to these courses too:" in text
    assert f"{later.course_instance.course.name} (" in text
    assert text.count("you drop out of it") == 1
    assert text.count("early dropout, the course counts as never started") == 1
    assert text.count("you withdraw from it") == 1
    assert early.course_instance.course.name in text
    assert waiting.course_instance.course.name in text


def test_dropout_from_the_programme_keeps_it_and_reminds_about_csn(me, institution, client_for):
    mine = programme(me, institution, state=S.REGISTERED)
    later = course_in(mine, me, institution, state=S.REGISTERED, registered=1, start=-40)
    waiting = course_in(mine, me, institution, state=S.ADMITTED, start=60)
    client = client_for(me)

    response = client.post(url(mine, "drop-out"))

    assert (response.status_code, response.url) == (302, url(mine))
    assert states(mine, later, waiting) == [S.DROPPED, S.DROPPED, S.WITHDRAWN]
    page = client.get(url(mine))
    assert [str(m) for m in page.context["messages"]] == [
        f"You have dropped out of {mine.programme_instance.programme.name}. It applies to these "
        f"courses too: {later.course_instance.course.name}, "
        f"{waiting.course_instance.course.name}.",
        "If this affects your student finance, remember to tell CSN.",
    ]
    assert [
        g.participation.pk for g in client.get("/education/").context["education"].programmes
    ] == [mine.pk]


def test_dropout_switched_off_is_absent_and_a_crafted_post_is_refused(me, institution, client_for):
    mine = programme(me, institution, state=S.REGISTERED)
    InstitutionSettings.objects.filter(institution=institution).update(allow_dropout=False)
    client = client_for(me)

    text = client.get(url(mine)).text
    client.post(url(mine, "drop-out"))

    assert url(mine, "drop-out") not in text
    assert messages_of(client) == [
        "Your university handles dropouts. Contact your university's study administration."
    ]
    assert states(mine) == [S.REGISTERED]


@pytest.mark.parametrize("items", [1, 3])
def test_programme_page_query_count_does_not_grow(
    items, me, institution, client_for, django_assert_num_queries
):
    mine = programme(
        me, institution, programme_instance__programme__kind=ProgrammeKind.DOCTORAL_SUBJECT
    )
    IndividualStudyPlanFactory(programme_participation=mine)
    for _ in range(items):
        course_in(mine, me, institution)
        LeaveOfAbsenceFactory(programme_participation=mine)
        StudyActivityFactory(programme_participation=mine)
    client = client_for(me)

    # Session, user, person, universities; the participation (with programme and study plan),
    # its leaves, its study activity, the courses shown and the courses a withdrawal covers.
    with django_assert_num_queries(9):
        response = client.get(url(mine))

    assert len(response.context["page"].courses) == items
