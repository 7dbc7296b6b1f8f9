"""The student's pages for study choices and applications (S-HOME-2, S-CHOICE-1..2, S-APP-1..2,
G-4, B-1): shown only within the period and only to the programme's students; a broken rule is
explained with the ticks kept and nothing saved; removal through a confirmation page, or in
place with htmx; switched-off functions are absent and refused."""

import datetime
import re

import pytest
from django.test import Client

from registration import services as registration_services
from registration.models import Application, CourseParticipation, ParticipationState
from studychoices import services
from studychoices.models import StudyChoice
from tests.factories import ApplicationOfferFactory, ProgrammeInstanceFactory

pytestmark = pytest.mark.django_db

S = ParticipationState
HTMX = {"HX-Request": "true"}


def _main(response) -> str:
    return response.text.split('<main id="main"', 1)[1]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _checked(page: str) -> list[str]:
    return re.findall(
        r'<input type="checkbox" name="alternatives" value="(\d+)"[^>]* checked', page
    )


@pytest.fixture
def period(make_period, add_alternative):
    period = make_period(name_en="Electives autumn", min_picks=2, max_picks=2)
    for _ in range(3):
        add_alternative(period)
    return period


@pytest.fixture
def offer(programme):
    return ApplicationOfferFactory(programme_instance=programme)


# --- Start page (S-HOME-2) ----------------------------------------------------------------------


def test_start_page_lists_open_choice_and_application_with_show_more(
    student, period, offer, client_for
):
    page = _main(client_for(student).get("/start/"))

    assert re.findall(r'href="(/(?:choices|applications)/[^"]+)"', page) == [
        f"/choices/{period.public_id}/",
        f"/applications/{offer.public_id}/",
    ]
    assert page.count("Show more") == 2
    assert "Electives autumn" in page
    assert offer.course_instance.course.name in page


@pytest.mark.parametrize(("opens", "closes"), [(1, 5), (-5, -1)], ids=["before", "after"])
def test_start_page_shows_nothing_outside_the_periods(
    student, make_period, programme, client_for, today, opens, closes
):
    window = {
        "opens": today + datetime.timedelta(days=opens),
        "closes": today + datetime.timedelta(days=closes),
    }
    make_period(**window)
    ApplicationOfferFactory(programme_instance=programme, **window)

    page = _main(client_for(student).get("/start/"))

    assert "Study choices" not in page
    assert "Applications" not in page
    assert "/choices/" not in page
    assert "/applications/" not in page


def test_start_page_shows_nothing_of_another_programme(
    student, client_for, institution, add_alternative
):
    other = ProgrammeInstanceFactory(programme__institution=institution)
    ApplicationOfferFactory(programme_instance=other)
    from tests.factories import ChoicePeriodFactory

    ChoicePeriodFactory(programme_instance=other)

    page = _main(client_for(student).get("/start/"))

    assert ("/choices/" in page, "/applications/" in page) == (False, False)


def test_start_page_marks_what_the_student_has_chosen_and_applied_for(
    student, period, offer, client_for
):
    services.choose(student, period=period, alternatives=list(period.alternatives.all()[:2]))
    registration_services.apply(student, offer=offer)

    page = _main(client_for(student).get("/start/"))

    assert re.findall(r'<span class="badge">([^<]+)</span>', page) == ["Chosen", "Applied"]


def test_switched_off_sections_are_absent_from_the_start_page(
    student, period, offer, client_for, uni_settings
):
    uni_settings.show_study_choices = False
    uni_settings.show_applications = False
    uni_settings.save()

    page = _main(client_for(student).get("/start/"))

    assert ("Study choices" in page, "/choices/" in page) == (False, False)
    assert ("Applications" in page, "/applications/" in page) == (False, False)


# --- Choice page (S-CHOICE-1) -------------------------------------------------------------------


def test_choice_page_shows_the_rules_and_the_alternatives_as_checkboxes(
    student, period, client_for
):
    page = _main(client_for(student).get(f"/choices/{period.public_id}/"))

    assert "<h1>Electives autumn</h1>" in page
    assert "Exactly 2 alternatives" in page
    assert "<legend>Alternatives</legend>" in page
    alternatives = list(period.alternatives.all())
    assert re.findall(r'name="alternatives" value="(\d+)"', page) == [
        str(a.pk) for a in alternatives
    ]
    for alternative in alternatives:
        course = alternative.course_instance.course
        assert f'<span class="choice-target__name">{course.name}</span>' in page
        assert f"<span>{course.code}</span>" in page
    assert page.count("<span>7.5 credits</span>") == 3
    assert ">Choose</button>" in page


def test_choice_page_shows_credit_limits(student, make_period, add_alternative, client_for):
    from decimal import Decimal

    period = make_period(min_picks=1, max_picks=4, min_credits=Decimal(15), max_credits=Decimal(30))
    add_alternative(period)

    page = _main(client_for(student).get(f"/choices/{period.public_id}/"))

    assert "Between 15 credits and 30 credits" in page
    assert "Between 1 and 4 alternatives" in page


def test_choice_page_is_not_found_for_another_student(make_student, period, client_for):
    outsider = make_student("olle", instance=ProgrammeInstanceFactory())

    assert client_for(outsider).get(f"/choices/{period.public_id}/").status_code == 404
    response = client_for(outsider).post(
        f"/choices/{period.public_id}/",
        {"alternatives": [a.pk for a in period.alternatives.all()[:2]]},
    )
    assert response.status_code == 404
    assert StudyChoice.objects.count() == 0


def test_choice_page_sends_nobody_to_the_login(period):
    response = Client().get(f"/choices/{period.public_id}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_choosing_saves_and_shows_the_choice(student, period, client_for):
    client = client_for(student)
    first, second, _third = period.alternatives.all()

    response = client.post(
        f"/choices/{period.public_id}/", {"alternatives": [first.pk, second.pk]}, follow=True
    )

    assert response.redirect_chain == [(f"/choices/{period.public_id}/", 302)]
    assert _messages(response) == ["Your study choice has been saved."]
    choice = StudyChoice.objects.get(person=student.person)
    assert sorted(choice.items.values_list("alternative", flat=True)) == [first.pk, second.pk]
    page = _main(response)
    assert "Your choice" in page
    assert page.count("Expected participation") == 2
    assert ">Remove choice</a>" in page
    assert 'name="alternatives"' not in page


def test_a_broken_rule_is_explained_with_the_ticks_kept_and_nothing_saved(
    student, period, client_for
):
    first = period.alternatives.first()

    response = client_for(student).post(
        f"/choices/{period.public_id}/", {"alternatives": [first.pk]}
    )

    assert response.status_code == 200
    page = _main(response)
    assert "Nothing was saved. Choose at least 2 alternatives." in page
    assert _checked(page) == [str(first.pk)]
    assert StudyChoice.objects.count() == 0
    assert CourseParticipation.objects.count() == 0


def test_outside_the_period_the_page_says_when_it_opens_and_offers_no_choice(
    student, make_period, add_alternative, client_for, today
):
    opens = today + datetime.timedelta(days=4)
    period = make_period(opens=opens, closes=opens + datetime.timedelta(days=4))
    add_alternative(period)
    client = client_for(student)

    page = _main(client.get(f"/choices/{period.public_id}/"))

    assert f"The choice period opens {opens.isoformat()}." in page
    assert 'name="alternatives"' not in page
    assert ">Choose</button>" not in page


# --- Removing a choice (S-CHOICE-2) -------------------------------------------------------------


@pytest.fixture
def chosen(student, period):
    return services.choose(student, period=period, alternatives=list(period.alternatives.all()[:2]))


def test_remove_choice_asks_for_confirmation_then_removes(student, period, chosen, client_for):
    client = client_for(student)
    url = f"/choices/{period.public_id}/remove/"

    confirmation = _main(client.get(url))
    assert "<h1>Remove study choice</h1>" in confirmation
    assert ">Yes, remove my choice</button>" in confirmation
    chosen.refresh_from_db()
    assert chosen.removed_at is None

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(f"/choices/{period.public_id}/", 302)]
    assert _messages(response) == ["Your study choice has been removed."]
    chosen.refresh_from_db()
    assert chosen.removed_at is not None
    assert set(CourseParticipation.objects.values_list("state", flat=True)) == {S.CANCELLED}
    assert 'name="alternatives"' in _main(response)


def test_remove_choice_in_place_with_htmx(student, period, chosen, client_for):
    client = client_for(student)
    url = f"/choices/{period.public_id}/remove/"

    dialog = client.get(url, headers=HTMX)
    assert "<html" not in dialog.text
    assert dialog.text.strip().startswith('<div class="choice-confirm">')
    assert f'hx-post="{url}"' in dialog.text

    response = client.post(url, headers=HTMX)

    assert response.text.strip().startswith('<div id="choice" class="choice-area">')
    assert "Your study choice has been removed." in response.text
    assert 'name="alternatives"' in response.text
    assert response["Vary"].count("HX-Request") == 1
    chosen.refresh_from_db()
    assert chosen.removed_at is not None


def test_cancelling_the_dialog_in_place_shows_the_choice_again(student, period, chosen, client_for):
    response = client_for(student).get(f"/choices/{period.public_id}/", headers=HTMX)

    assert response.text.strip().startswith('<div id="choice" class="choice-area">')
    assert ">Remove choice</a>" in response.text


def test_switched_off_removal_is_absent_and_refused(
    student, period, chosen, client_for, uni_settings
):
    uni_settings.allow_remove_choice = False
    uni_settings.save()
    client = client_for(student)

    page = _main(client.get(f"/choices/{period.public_id}/"))
    assert "Remove choice" not in page
    assert "Your university does not let students remove a study choice." in page

    response = client.post(f"/choices/{period.public_id}/remove/", follow=True)

    assert _messages(response) == ["Your university does not let students remove a study choice."]
    chosen.refresh_from_db()
    assert chosen.removed_at is None


def test_remove_choice_is_not_found_for_another_student(make_student, period, chosen, client_for):
    outsider = make_student("olle", instance=ProgrammeInstanceFactory())

    assert client_for(outsider).post(f"/choices/{period.public_id}/remove/").status_code == 404
    chosen.refresh_from_db()
    assert chosen.removed_at is None


def test_remove_choice_without_a_choice_is_not_found(student, period, client_for):
    assert client_for(student).get(f"/choices/{period.public_id}/remove/").status_code == 404


def test_remove_choice_sends_nobody_to_the_login(period, chosen):
    response = Client().post(f"/choices/{period.public_id}/remove/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Application page (S-APP-1, S-APP-2) --------------------------------------------------------


def test_application_page_shows_the_course_and_applies(student, offer, client_for):
    client = client_for(student)
    url = f"/applications/{offer.public_id}/"
    course = offer.course_instance.course

    page = _main(client.get(url))
    assert f"<h1>{course.name}</h1>" in page
    assert f"<dt>Course code</dt><dd>{course.code}</dd>" in page
    assert "<dt>Credits</dt><dd>7.5 credits</dd>" in page
    assert ">Apply</button>" in page

    response = client.post(url, follow=True)

    assert _messages(response) == ["Your application has been saved."]
    application = Application.objects.get(person=student.person)
    assert application.course_participation.state == S.EXPECTED
    page = _main(response)
    assert ">Apply</button>" not in page
    assert ">Remove application</a>" in page


def test_removing_an_application_and_applying_again(student, offer, client_for):
    client = client_for(student)
    registration_services.apply(student, offer=offer)
    url = f"/applications/{offer.public_id}/"

    assert ">Yes, remove my application</button>" in _main(client.get(url + "remove/"))
    response = client.post(url + "remove/", follow=True)
    assert _messages(response) == ["Your application has been removed."]
    assert ">Apply</button>" in _main(response)

    client.post(url)

    assert sorted(
        (a.removed_at is None, a.course_participation.state)
        for a in Application.objects.select_related("course_participation")
    ) == [(False, S.CANCELLED), (True, S.EXPECTED)]


def test_remove_application_in_place_with_htmx(student, offer, client_for):
    client = client_for(student)
    registration_services.apply(student, offer=offer)
    url = f"/applications/{offer.public_id}/remove/"

    assert client.get(url, headers=HTMX).text.strip().startswith('<div class="choice-confirm">')
    response = client.post(url, headers=HTMX)

    assert response.text.strip().startswith('<section id="application"')
    assert "Your application has been removed." in response.text
    assert ">Apply</button>" in response.text


def test_switched_off_application_removal_is_absent_and_refused(
    student, offer, client_for, uni_settings
):
    application = registration_services.apply(student, offer=offer)
    uni_settings.allow_remove_application = False
    uni_settings.save()
    client = client_for(student)

    page = _main(client.get(f"/applications/{offer.public_id}/"))
    assert "Remove application" not in page
    assert "Your university does not let students remove applications." in page

    response = client.post(f"/applications/{offer.public_id}/remove/", follow=True)

    assert _messages(response) == ["Your university does not let students remove applications."]
    application.refresh_from_db()
    assert application.removed_at is None


def test_before_the_application_period_the_page_says_when_it_opens(
    student, programme, client_for, today
):
    opens = today + datetime.timedelta(days=2)
    offer = ApplicationOfferFactory(
        programme_instance=programme, opens=opens, closes=opens + datetime.timedelta(days=5)
    )

    page = _main(client_for(student).get(f"/applications/{offer.public_id}/"))

    assert f"Applications open {opens.isoformat()}." in page
    assert ">Apply</button>" not in page


def test_application_page_is_not_found_for_another_student(make_student, offer, client_for):
    outsider = make_student("olle", instance=ProgrammeInstanceFactory())
    client = client_for(outsider)

    assert client.get(f"/applications/{offer.public_id}/").status_code == 404
    assert client.post(f"/applications/{offer.public_id}/").status_code == 404
    assert Application.objects.count() == 0


def test_application_page_sends_nobody_to_the_login(offer):
    response = Client().get(f"/applications/{offer.public_id}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
