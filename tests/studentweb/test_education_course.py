"""The course page (S-EDU-3 without results), registration on it (S-REG-1..4), withdrawal and
dropout dialogs (S-WD-1..3), their switches (G-4) and reasons where not offered (B-1)."""

import pytest
from django.utils import translation

from institutions.models import InstitutionSettings
from ladokportal import clock
from registration.models import CourseParticipation, ParticipationState, Registration
from tests.factories import (
    ModuleFactory,
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


@pytest.fixture
def stranger(institution):
    user = UserFactory(username="sven", person=PersonFactory(first_name="Sven"))
    participation_with_periods(user.person, institution)
    return user


def course(user, institution, **fields) -> CourseParticipation:
    return participation_with_periods(user.person, institution, **fields)


def switch(institution, **values) -> None:
    InstitutionSettings.objects.filter(institution=institution).update(**values)


def url(participation, action: str = "") -> str:
    return f"/courses/{participation.public_id}/{action + '/' if action else ''}"


def messages_of(client) -> list[str]:
    return [str(m) for m in client.get("/start/").context["messages"]]


def state(participation) -> tuple[str, bool]:
    participation.refresh_from_db()
    return participation.state, participation.early_dropout


# --- Who sees the page --------------------------------------------------------------------------

PAGES = ["", "withdraw", "drop-out", "change-instance"]


@pytest.mark.parametrize("action", PAGES)
def test_course_pages_answer_their_owner(action, me, institution, client_for):
    mine = course(me, institution)

    response = client_for(me).get(url(mine, action))

    assert response.status_code == 200
    assert f"<h1>{mine.course_instance.course.name}</h1>" in response.text


@pytest.mark.parametrize("action", PAGES)
def test_course_pages_of_another_student_are_not_found(
    action, me, stranger, institution, client_for
):
    course(me, institution)
    theirs = CourseParticipation.objects.get(person=stranger.person)

    response = client_for(me).get(url(theirs, action))

    assert response.status_code == 404


@pytest.mark.parametrize("action", PAGES)
def test_course_pages_need_a_login(action, me, institution, client):
    mine = course(me, institution)

    response = client.get(url(mine, action))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["withdraw", "drop-out", "change-instance"])
def test_actions_on_another_students_course_are_not_found_and_change_nothing(
    action, me, stranger, institution, client_for
):
    course(me, institution)
    theirs = CourseParticipation.objects.get(person=stranger.person)

    response = client_for(me).post(url(theirs, action), {"confirm": "1"})

    assert response.status_code == 404
    assert state(theirs) == (S.ADMITTED, False)


# --- What the page shows (S-EDU-3) --------------------------------------------------------------


def test_course_page_shows_the_course_instance_and_its_modules(me, institution, client_for):
    mine = course(me, institution)
    instance = mine.course_instance
    module = ModuleFactory(
        course=instance.course, institution=institution, code="0010", name_en="Lab work"
    )

    response = client_for(me).get(url(mine))

    page = response.context["page"]
    assert page.modules == [module]
    text = response.text
    for fact in (
        instance.course.code,
        instance.instance_code,
        f"{instance.start_date.isoformat()} – {instance.end_date.isoformat()}",
        f"{instance.pace} %",
        instance.town,
        "Swedish",
        "Lab work",
        "0010 · 7.5 credits · Grading scale: Fail, pass",
    ):
        assert fact in text


def test_course_page_links_the_programme_it_belongs_to(me, institution, client_for):
    programme = ProgrammeParticipationFactory(
        person=me.person, programme_instance__programme__institution=institution
    )
    mine = course(me, institution, programme_participation=programme)

    text = client_for(me).get(url(mine)).text

    assert f'href="/programmes/{programme.public_id}/"' in text


def test_register_button_only_in_the_open_window_and_the_reason_otherwise(
    me, institution, client_for
):
    mine = course(me, institution, windows=((-5, 5), (40, 50)))
    second = mine.course_instance.periods.get(sequence=2)

    response = client_for(me).get(url(mine))

    verdicts = [
        (row.period.sequence, bool(row.verdict)) for row in response.context["page"].row.periods
    ]
    assert verdicts == [(1, True), (2, False)]
    assert response.text.count(f'action="{url(mine, "register")}"') == 1
    assert "Register for the earlier study periods of the course first." in response.text
    assert f"Continuation registration for study period 2: {second.study_period.name}" in (
        response.text
    )


def test_register_on_the_course_page_returns_to_it_with_the_period_named(
    me, institution, client_for
):
    mine = course(me, institution, windows=((-5, 5),))
    client = client_for(me)

    response = client.post(url(mine, "register"), {"period": 1, "next": url(mine)})

    assert (response.status_code, response.url) == (302, url(mine))
    page = client.get(url(mine))
    period = mine.course_instance.periods.get().study_period
    assert [str(m) for m in page.context["messages"]] == [
        f"You are registered on {mine.course_instance.course.name} for {period.name}."
    ]
    assert "Registered " in page.text
    assert f'action="{url(mine, "register")}"' not in page.text


def test_register_on_a_period_of_another_instance_is_refused(me, institution, client_for):
    mine = course(me, institution, windows=((-5, 5),))
    client = client_for(me)

    client.post(url(mine, "register"), {"period": 7})

    assert messages_of(client) == ["Choose a study period of the course to register for."]
    assert Registration.objects.count() == 0


def test_register_after_withdrawal_is_refused(me, institution, client_for):
    mine = course(me, institution, state=S.WITHDRAWN, windows=((-5, 5),))
    client = client_for(me)

    client.post(url(mine, "register"), {"period": 1})

    assert messages_of(client) == ["You have withdrawn from this course."]
    assert Registration.objects.count() == 0


# --- Withdrawal (S-WD-1) ------------------------------------------------------------------------


def test_withdrawal_dialog_is_a_whole_page_without_htmx(me, institution, client_for):
    mine = course(me, institution)

    response = client_for(me).get(url(mine, "withdraw"))

    assert response.text.startswith("<!DOCTYPE html>")
    assert "it goes to the next applicant" in response.text
    assert response.text.count(f'action="{url(mine, "withdraw")}"') == 1
    assert "HX-Request" in response.headers["Vary"]


def test_withdrawal_dialog_is_the_partial_with_htmx(me, institution, client_for):
    mine = course(me, institution)

    response = client_for(me).get(url(mine, "withdraw"), headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert '<section class="dialog"' in response.text
    assert "it goes to the next applicant" in response.text
    assert response.text.count(f'action="{url(mine, "withdraw")}"') == 1


def test_course_page_opens_the_dialogs_in_place(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-40)
    switch(institution, allow_change_instance=True)

    text = client_for(me).get(url(mine)).text

    for action in ("drop-out", "change-instance"):
        link = f'href="{url(mine, action)}" hx-get="{url(mine, action)}" hx-target="#course-dialog"'
        assert text.count(link) == 1
    assert text.count('id="course-dialog"') == 1


def test_withdrawal_gives_up_the_place_and_leaves_the_students_views(me, institution, client_for):
    mine = course(me, institution)
    client = client_for(me)

    response = client.post(url(mine, "withdraw"))

    assert (response.status_code, response.url) == (302, "/education/")
    assert state(mine) == (S.WITHDRAWN, False)
    education = client.get("/education/")
    assert [str(m) for m in education.context["messages"]] == [
        f"You have withdrawn from {mine.course_instance.course.name}. "
        "Your place goes to the next applicant."
    ]
    assert education.context["education"].courses == []


def test_withdrawal_with_htmx_redirects_the_whole_page(me, institution, client_for):
    mine = course(me, institution)

    response = client_for(me).post(url(mine, "withdraw"), headers={"HX-Request": "true"})

    assert response.headers["HX-Redirect"] == "/education/"
    assert state(mine) == (S.WITHDRAWN, False)


def test_withdrawal_switched_off_is_absent_and_a_crafted_post_is_refused(
    me, institution, client_for
):
    mine = course(me, institution)
    switch(institution, allow_withdrawal=False)
    client = client_for(me)

    text = client.get(url(mine)).text
    client.post(url(mine, "withdraw"))

    assert url(mine, "withdraw") not in text
    assert "Your university handles withdrawals." in text
    assert messages_of(client) == [
        "Your university handles withdrawals. Contact your university's study administration."
    ]
    assert state(mine) == (S.ADMITTED, False)


def test_a_registered_course_offers_dropout_as_its_one_way_out(me, institution, client_for):
    """#21 point 2: one "I do not want to study this course" entry, which for a registered
    place leads to dropout (S-WD-2); the withdrawal URL typed by hand says why not."""
    mine = course(me, institution, state=S.REGISTERED, registered=1)
    client = client_for(me)

    text = client.get(url(mine)).text
    dialog = client.get(url(mine, "withdraw")).text

    assert url(mine, "withdraw") not in text
    assert text.count("I do not want to study this course") == 1
    assert f'href="{url(mine, "drop-out")}"' in text
    assert 'action="' + url(mine, "withdraw") not in dialog
    assert "You are registered. To leave the course, drop out instead." in dialog


# --- Dropout (S-WD-2) ---------------------------------------------------------------------------


def test_dropout_dialog_shows_period_credits_registration_date_and_consequence(
    me, institution, client_for
):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-40)
    registration = mine.registrations.get()
    period = mine.course_instance.periods.get().study_period

    text = client_for(me).get(url(mine, "drop-out")).text

    registered_on = clock.date_of(registration.registered_at).isoformat()
    assert (
        f"{period.name}, {period.start_date.isoformat()} – {period.end_date.isoformat()}, "
        f"7.5 credits: registered {registered_on}"
    ) in text
    assert "You cannot undo a dropout yourself" in text
    assert "The course stays in your education with the status Dropped out" in text
    assert "early dropout" not in text
    assert text.count(f'action="{url(mine, "drop-out")}"') == 1


def test_dropout_dialog_with_htmx_is_the_partial(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-40)

    response = client_for(me).get(url(mine, "drop-out"), headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert response.text.count(f'action="{url(mine, "drop-out")}"') == 1


def test_later_dropout_keeps_the_course_and_reminds_about_csn(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-40)
    client = client_for(me)

    response = client.post(url(mine, "drop-out"))

    assert (response.status_code, response.url) == (302, url(mine))
    assert state(mine) == (S.DROPPED, False)
    page = client.get(url(mine))
    assert [str(m) for m in page.context["messages"]] == [
        f"You have dropped out of {mine.course_instance.course.name}.",
        "If this affects your student finance, remember to tell CSN.",
    ]
    assert "Dropped out" in page.text


def test_early_dropout_says_the_course_counts_as_never_started(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-3)
    client = client_for(me)

    dialog = client.get(url(mine, "drop-out")).text
    response = client.post(url(mine, "drop-out"))

    assert "This is an early dropout: the course counts as never started" in dialog
    assert (response.status_code, response.url) == (302, "/education/")
    assert state(mine) == (S.DROPPED, True)
    assert messages_of(client) == [
        f"You have dropped out of {mine.course_instance.course.name} early: the course counts "
        "as never started, and you may apply for it again.",
        "If this affects your student finance, remember to tell CSN.",
    ]


def test_early_dropout_follows_the_universitys_number_of_weeks(me, institution, client_for):
    switch(institution, early_dropout_weeks=1)
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-10)

    text = client_for(me).get(url(mine, "drop-out")).text

    assert "early dropout" not in text


def test_dropout_switched_off_is_absent_and_a_crafted_post_is_refused(me, institution, client_for):
    mine = course(me, institution, state=S.REGISTERED, registered=1, start=-40)
    switch(institution, allow_dropout=False)
    client = client_for(me)

    text = client.get(url(mine)).text
    client.post(url(mine, "drop-out"))

    assert url(mine, "drop-out") not in text
    assert messages_of(client) == [
        "Your university handles dropouts. Contact your university's study administration."
    ]
    assert state(mine) == (S.REGISTERED, False)


def test_dropout_is_not_offered_before_registration(me, institution, client_for):
    mine = course(me, institution)

    text = client_for(me).get(url(mine)).text

    # The one entry leads to withdrawal (S-WD-1) while the place is not taken up (#21 point 2).
    assert url(mine, "drop-out") not in text
    assert text.count("I do not want to study this course") == 1
    assert f'href="{url(mine, "withdraw")}"' in text


def test_a_left_course_offers_no_actions(me, institution, client_for):
    mine = course(me, institution, state=S.DROPPED, start=-40)
    switch(institution, allow_change_instance=True)

    text = client_for(me).get(url(mine)).text

    for action in ("withdraw", "drop-out", "change-instance"):
        assert url(mine, action) not in text
    assert 'id="course-actions"' not in text


# --- Query count --------------------------------------------------------------------------------


@pytest.mark.parametrize("items", [1, 3])
def test_course_page_query_count_does_not_grow(
    items, me, institution, client_for, django_assert_num_queries
):
    windows = tuple((-5 + 60 * n, 5 + 60 * n) for n in range(items))
    mine = course(me, institution, state=S.REGISTERED, registered=items - 1 or 1, windows=windows)
    for n in range(items):
        ModuleFactory(course=mine.course_instance.course, institution=institution, code=f"M{n}")
        course(me, institution)  # other courses of the student cost nothing here
    client = client_for(me)

    # Session, user, person, universities; the participation (with instance, course, scale,
    # programme and change links), its study periods, its registrations, the modules; the
    # certified results (with grade and examiner) and the annotation columns shown (S-EDU-3).
    with django_assert_num_queries(10):
        response = client.get(url(mine))

    assert len(response.context["page"].modules) == items
    assert len(response.context["page"].row.periods) == items


@pytest.mark.parametrize("target", ["x", "//evil.example/", "https://evil.example/", ""])
def test_register_with_a_next_that_is_no_local_path_returns_to_the_course(
    me, institution, client_for, target
):
    """#17 point 4: next=x answered 500 while the registration was saved."""
    mine = course(me, institution, windows=((-5, 5),))

    response = client_for(me).post(url(mine, "register"), {"period": 1, "next": target})

    assert (response.status_code, response.url) == (302, url(mine))
    assert mine.registrations.count() == 1
