"""Removing a study choice or an application from the course it gave (#21 point 3, the guide's
"Ta bort val/anmälan" on the course or its Show more; S-CHOICE-2, S-APP-2, B-1): the same rule
and service as on the choice and application pages."""

import datetime

import pytest

from registration import services as registration_services
from registration.models import CourseParticipation, ParticipationState
from studychoices import services
from studychoices.models import StudyChoice
from tests.factories import ApplicationOfferFactory

pytestmark = pytest.mark.django_db

S = ParticipationState


@pytest.fixture
def period(make_period, add_alternative):
    period = make_period(name_en="Electives", min_picks=2, max_picks=2)
    for _ in range(2):
        add_alternative(period)
    return period


@pytest.fixture
def chosen(student, place, period) -> CourseParticipation:
    """The first course the student's choice gave them."""
    services.choose(student, period=period, alternatives=list(period.alternatives.all()))
    return CourseParticipation.objects.filter(person=student.person).order_by("pk").first()


@pytest.fixture
def applied(student, place, programme) -> CourseParticipation:
    offer = ApplicationOfferFactory(programme_instance=programme)
    application = registration_services.apply(student, offer=offer)
    return application.course_participation


def url(participation, action: str = "") -> str:
    return f"/courses/{participation.public_id}/{action + '/' if action else ''}"


def test_the_course_page_offers_to_remove_the_choice(student, chosen, client_for):
    text = client_for(student).get(url(chosen)).text

    assert f'href="{url(chosen, "remove")}"' in text
    assert "Remove study choice" in text


def test_the_dialog_names_the_course_and_what_goes_with_the_choice(student, chosen, client_for):
    text = client_for(student).get(url(chosen, "remove"), HTTP_HX_REQUEST="true").text

    assert 'class="dialog"' in text and "<html" not in text
    assert chosen.course_instance.course.name in text
    assert "The choice also gave you:" in text
    assert f'action="{url(chosen, "remove")}"' in text


def test_removing_the_choice_from_the_course_cancels_it_and_returns(student, chosen, client_for):
    response = client_for(student).post(url(chosen, "remove"), {"next": "/start/"})

    assert response.status_code == 302 and response["Location"] == "/start/"
    assert StudyChoice.objects.get(person=student.person).removed_at is not None
    assert set(
        CourseParticipation.objects.filter(person=student.person).values_list("state", flat=True)
    ) == {S.CANCELLED}


def test_removing_the_application_from_the_course(student, applied, client_for):
    client = client_for(student)

    page = client.get(url(applied)).text
    response = client.post(url(applied, "remove"))

    assert "Remove application" in page
    assert response["Location"] == "/education/"
    applied.refresh_from_db()
    assert applied.state == S.CANCELLED


def test_after_the_period_the_course_says_why_not_and_refuses(
    student, chosen, period, client_for, today
):
    period.opens = today - datetime.timedelta(days=20)
    period.closes = today - datetime.timedelta(days=1)
    period.save()
    client = client_for(student)

    page = client.get(url(chosen)).text
    response = client.post(url(chosen, "remove"), follow=True)

    assert f'href="{url(chosen, "remove")}"' not in page
    assert "so the choice can no longer be removed." in page
    assert "so the choice can no longer be removed." in response.text
    assert StudyChoice.objects.get(person=student.person).removed_at is None


def test_switched_off_the_course_says_so(student, chosen, uni_settings, client_for):
    uni_settings.allow_remove_choice = False
    uni_settings.save()

    page = client_for(student).get(url(chosen)).text

    assert f'href="{url(chosen, "remove")}"' not in page
    assert "Your university does not let students remove a study choice." in page


def test_a_course_by_admission_has_nothing_to_remove(student, place, client_for, institution):
    from tests.factories import participation_with_periods

    admitted = participation_with_periods(student.person, institution)

    assert client_for(student).get(url(admitted, "remove")).status_code == 404


def test_another_student_and_nobody_get_nothing(make_student, chosen, client_for, client):
    other = make_student("sven")

    assert client_for(other).get(url(chosen, "remove")).status_code == 404
    assert client_for(other).post(url(chosen, "remove")).status_code == 404
    assert client.post(url(chosen, "remove"))["Location"].startswith("/accounts/login/")
    assert StudyChoice.objects.get().removed_at is None


def test_removal_costs_the_same_however_many_choices(
    student, chosen, make_period, add_alternative, institution, client_for
):
    """The lookup reads the one choice behind the course, not all of the student's (B-1)."""
    from tests.factories import participation_with_periods
    from tests.statements import count_statements

    client = client_for(student, HTTP_HX_REQUEST="true")
    client.get(url(chosen, "remove"))  # session and caches warm
    counts = []
    for more in (1, 4):
        for _ in range(more):
            other = make_period(min_picks=1, max_picks=1)
            services.choose(student, period=other, alternatives=[add_alternative(other)])
            participation_with_periods(student.person, institution)
        with count_statements() as counted:
            assert client.get(url(chosen, "remove")).status_code == 200
        counts.append(counted.total)
    assert counts == [10, 10], counts
