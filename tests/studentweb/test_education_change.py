"""Change of course instance from the course page (S-SWAP-1, G-4): choose, confirm, then the new
instance's course page where the student registers; no undo, withdrawal from the new one."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from institutions.models import InstitutionSettings
from ladokportal import clock
from registration.models import CourseParticipation, ParticipationState
from tests.factories import (
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    PersonFactory,
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
def allowed(institution):
    InstitutionSettings.objects.filter(institution=institution).update(allow_change_instance=True)


@pytest.fixture
def mine(me, institution):
    return participation_with_periods(me.person, institution, start=20)


@pytest.fixture
def target(mine, institution):
    """Another instance of the same course, with a registration period open now."""
    today = clock.today()
    instance = CourseInstanceFactory(
        course=mine.course_instance.course,
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=150),
        town="Helsingborg",
    )
    CourseInstancePeriodFactory(
        course_instance=instance,
        sequence=1,
        registration_opens=today - datetime.timedelta(days=1),
        registration_closes=today + datetime.timedelta(days=9),
    )
    return instance


def change_url(participation) -> str:
    return f"/courses/{participation.public_id}/change-instance/"


def state(participation) -> str:
    participation.refresh_from_db()
    return participation.state


def test_choose_step_lists_the_other_instances_of_the_course(allowed, mine, target, me, client_for):
    response = client_for(me).get(change_url(mine))

    form = response.context["form"]
    assert [key for key, _label in form.fields["target"].choices] == [str(target.public_id)]
    assert f'value="{target.public_id}"' in response.text
    assert 'name="scope_credits"' not in response.text


def test_choose_step_with_htmx_is_the_partial_posting_in_place(
    allowed, mine, target, me, client_for
):
    response = client_for(me).get(change_url(mine), headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert f'hx-post="{change_url(mine)}" hx-target="#course-dialog"' in response.text


def test_confirm_step_says_there_is_no_undo_and_changes_nothing_yet(
    allowed, mine, target, me, client_for
):
    response = client_for(me).post(change_url(mine), {"target": str(target.public_id)})

    assert response.context["step"] == "confirm"
    assert "You cannot undo the change yourself. You can withdraw from the new instance." in (
        response.text
    )
    assert 'name="confirm"' in response.text
    assert state(mine) == S.ADMITTED
    assert CourseParticipation.objects.filter(course_instance=target).count() == 0


def test_confirmed_change_leads_to_the_new_course_page_to_register(
    allowed, mine, target, me, client_for
):
    client = client_for(me)

    response = client.post(change_url(mine), {"target": str(target.public_id), "confirm": "1"})

    new = CourseParticipation.objects.get(course_instance=target)
    assert (response.status_code, response.url) == (302, f"/courses/{new.public_id}/")
    assert (state(mine), new.state, new.changed_from_id) == (
        S.CHANGED_INSTANCE,
        S.ADMITTED,
        mine.pk,
    )
    page = client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        f"You have changed to course instance {target.instance_code}. Register on it when its "
        "registration period is open."
    ]
    assert page.text.count(f'action="/courses/{new.public_id}/register/"') == 1
    assert f'href="/courses/{new.public_id}/withdraw/"' in page.text


def test_after_the_change_there_is_no_way_back(allowed, mine, target, me, client_for):
    client = client_for(me)
    client.post(change_url(mine), {"target": str(target.public_id), "confirm": "1"})
    new = CourseParticipation.objects.get(course_instance=target)

    old_page = client.get(f"/courses/{mine.public_id}/").text
    choose = client.get(change_url(new))
    back = client.post(
        change_url(new), {"target": str(mine.course_instance.public_id), "confirm": "1"}
    )

    assert change_url(mine) not in old_page
    assert f'href="/courses/{new.public_id}/"' in old_page
    assert choose.context["form"].fields["target"].choices == []
    assert back.status_code == 200  # the choose step again: that instance is no choice
    assert (state(mine), state(new)) == (S.CHANGED_INSTANCE, S.ADMITTED)


def test_confirmed_change_with_htmx_redirects_the_whole_page(allowed, mine, target, me, client_for):
    response = client_for(me).post(
        change_url(mine),
        {"target": str(target.public_id), "confirm": "1"},
        headers={"HX-Request": "true"},
    )

    new = CourseParticipation.objects.get(course_instance=target)
    assert response.headers["HX-Redirect"] == f"/courses/{new.public_id}/"


def test_change_switched_off_is_absent_and_a_crafted_post_is_refused(mine, target, me, client_for):
    client = client_for(me)

    page = client.get(f"/courses/{mine.public_id}/").text
    response = client.post(change_url(mine), {"target": str(target.public_id), "confirm": "1"})

    assert change_url(mine) not in page
    assert "Your university handles changes of course instance." in page
    assert response.url == f"/courses/{mine.public_id}/"
    assert [str(m) for m in client.get("/start/").context["messages"]] == [
        "Your university handles changes of course instance. "
        "Contact your university's study administration."
    ]
    assert state(mine) == S.ADMITTED
    assert CourseParticipation.objects.filter(course_instance=target).count() == 0


def test_partial_scope_is_offered_only_where_allowed(
    allowed, institution, mine, target, me, client_for
):
    client = client_for(me)
    without = client.get(change_url(mine)).text
    InstitutionSettings.objects.filter(institution=institution).update(
        allow_partial_reregistration=True
    )

    with_partial = client.get(change_url(mine)).text

    assert 'name="scope_credits"' not in without
    assert with_partial.count('name="scope_credits"') == 1
    assert with_partial.count('name="scope_period"') == 1


def test_partial_scope_is_kept_on_the_new_participation(
    allowed, institution, mine, target, me, client_for
):
    InstitutionSettings.objects.filter(institution=institution).update(
        allow_partial_reregistration=True
    )
    chosen = {
        "target": str(target.public_id),
        "scope_credits": "3.5",
        "scope_period": f"{target.public_id}:1",
    }
    client = client_for(me)

    confirm = client.post(change_url(mine), chosen)
    client.post(change_url(mine), {**chosen, "confirm": "1"})

    assert "3.5 credits" in confirm.text
    new = CourseParticipation.objects.get(course_instance=target)
    assert (new.scope_credits, new.scope_period) == (Decimal("3.5"), target.periods.get())


def test_crafted_partial_scope_where_not_allowed_is_refused(allowed, mine, target, me, client_for):
    client = client_for(me)

    client.post(
        change_url(mine),
        {"target": str(target.public_id), "scope_credits": "3.5", "confirm": "1"},
    )

    assert [str(m) for m in client.get("/start/").context["messages"]] == [
        "Your university does not allow re-registration on part of a course."
    ]
    assert state(mine) == S.ADMITTED


def test_a_study_period_of_another_instance_is_refused_in_the_form(
    allowed, institution, mine, target, me, client_for
):
    InstitutionSettings.objects.filter(institution=institution).update(
        allow_partial_reregistration=True
    )
    other = CourseInstanceFactory(
        course=mine.course_instance.course,
        start_date=target.start_date,
        end_date=target.end_date,
    )
    CourseInstancePeriodFactory(course_instance=other, sequence=1)

    response = client_for(me).post(
        change_url(mine),
        {"target": str(target.public_id), "scope_period": f"{other.public_id}:1", "confirm": "1"},
    )

    assert response.context["form"].non_field_errors() == [
        "That study period does not belong to the new course instance."
    ]
    assert state(mine) == S.ADMITTED


@pytest.mark.parametrize("items", [1, 3])
def test_choose_step_query_count_does_not_grow(
    items, allowed, mine, me, client_for, django_assert_num_queries
):
    for n in range(items):
        instance = CourseInstanceFactory(
            course=mine.course_instance.course,
            start_date=mine.course_instance.start_date,
            end_date=mine.course_instance.end_date,
        )
        CourseInstancePeriodFactory(course_instance=instance, sequence=1)
        CourseInstancePeriodFactory(
            course_instance=instance, sequence=2, study_period__code=f"X{n}"
        )
    client = client_for(me)

    # Session, user, person, universities; the course page's four; the targets, their study
    # periods and the periods' study periods.
    with django_assert_num_queries(11):
        response = client.get(change_url(mine))

    assert len(response.context["form"].fields["target"].choices) == items
