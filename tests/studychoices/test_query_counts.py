"""Pinned query counts (STYLE.md § Tests): the choice and application pages and the start page's
two sections cost the same number of SQL queries with 1 or 3 alternatives, periods or offers,
chosen or not."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from registration import services as registration_services
from studychoices import queries, services
from tests.factories import ApplicationOfferFactory, ChoicePeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_students(make_student, programme, make_period, add_alternative):
    """Noise: another student of the programme with a choice and an application of their own."""
    other = make_student("olle")
    period = make_period(min_picks=1, max_picks=3)
    services.choose(other, period=period, alternatives=[add_alternative(period)])
    registration_services.apply(other, offer=ApplicationOfferFactory(programme_instance=programme))


# session, user, the person's universities with settings, the person, the period with its
# alternatives (2), the student's choice, and its items once there is one.
CHOICE_PAGE = {"open": 7, "chosen": 8}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("chosen", [False, True], ids=["open", "chosen"])
def test_choice_page_query_count(
    count,
    chosen,
    student,
    other_students,
    make_period,
    add_alternative,
    client_for,
    django_assert_num_queries,
):
    period = make_period(min_picks=1, max_picks=3)
    alternatives = [add_alternative(period) for _ in range(count)]
    if chosen:
        services.choose(student, period=period, alternatives=alternatives)
    client = client_for(student)

    with django_assert_num_queries(CHOICE_PAGE["chosen" if chosen else "open"]):
        response = client.get(f"/choices/{period.public_id}/")

    assert response.status_code == 200
    page = response.text
    assert page.count("choice-target__name") == count


# session, user, the person's universities with settings, the person, the offer, the
# student's application.
OFFER_PAGE = 6


@pytest.mark.parametrize("applied", [False, True], ids=["open", "applied"])
def test_application_page_query_count(
    applied, student, other_students, programme, client_for, django_assert_num_queries
):
    offer = ApplicationOfferFactory(programme_instance=programme)
    if applied:
        registration_services.apply(student, offer=offer)
    client = client_for(student)

    with django_assert_num_queries(OFFER_PAGE):
        response = client.get(f"/applications/{offer.public_id}/")

    assert response.status_code == 200


def _render_sections(person, today) -> str:
    context = queries.start_page(person, today)
    request = RequestFactory().get("/start/")
    return render_to_string(
        "studentweb/start/_choices.html", context, request=request
    ) + render_to_string("studentweb/start/_applications.html", context, request=request)


@pytest.mark.parametrize("count", [1, 3])
def test_start_page_sections_cost_one_query_each(
    count, student, other_students, programme, today, django_assert_num_queries
):
    for _ in range(count):
        ChoicePeriodFactory(programme_instance=programme)
        ApplicationOfferFactory(programme_instance=programme)

    with django_assert_num_queries(2):
        html = _render_sections(student.person, today)

    assert html.count('href="/choices/') == count + 1  # the noise period is open to all
    assert html.count('href="/applications/') == count + 1


def test_start_page_sections_cost_nothing_until_shown(student, programme, today):
    ChoicePeriodFactory(programme_instance=programme)
    ApplicationOfferFactory(programme_instance=programme)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        queries.start_page(student.person, today)

    assert captured.captured_queries == []
