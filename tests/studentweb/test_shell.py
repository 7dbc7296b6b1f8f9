"""The student shell: language (G-1), university switch (S-INST-1), menu (S-CONT-1), My details
(S-CONT-2, S-CONT-3), alumni mode (S-AUTH-2) and staff/student separation."""

import datetime

import pytest
from django.test import Client

from notifications.models import Notification
from people.models import Person
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_first_visit_follows_the_browser_language():
    response = Client(headers={"accept-language": "sv-SE,sv;q=0.9,en;q=0.5"}).get(
        "/accounts/login/"
    )
    assert '<html lang="sv">' in response.text
    response = Client(headers={"accept-language": "de-DE,de;q=0.9"}).get("/accounts/login/")
    assert '<html lang="en">' in response.text


def test_stored_choice_wins_over_the_browser_and_survives_logout(client_for, student_user):
    client = client_for(student_user, headers={"accept-language": "en"})
    response = client.post("/language/", {"language": "sv", "next": "/start/"})
    assert response.status_code == 302
    assert client.get("/start/").text.count("Övrig information") == 1
    client.post("/accounts/logout/")
    assert '<html lang="sv">' in client.get("/accounts/login/").text


def test_language_choice_is_remembered_on_the_person(client_for, student_user):
    client_for(student_user).post("/language/", {"language": "en", "next": "/start/"})
    assert Person.objects.get(pk=student_user.person_id).language == "en"


def test_switching_university_shows_only_that_universitys_text(
    client_for, student_user, other_institution
):
    enrol(student_user.person, other_institution)
    client = client_for(student_user)
    assert "Welcome to Lund University." in client.get("/start/").text
    response = client.post("/institution/", {"institution": other_institution.pk})
    assert response.status_code == 302
    page = client.get("/start/").text
    assert "Welcome to Uppsala University." in page
    assert "Lund University." not in page.split("</header>", 1)[1]


def test_switching_to_a_university_the_student_has_no_records_at_is_refused(
    client_for, student_user, other_institution
):
    client = client_for(student_user)
    client.post("/institution/", {"institution": other_institution.pk})
    page = client.get("/start/").text
    assert "Welcome to Lund University." in page
    assert "Uppsala" not in page


def test_menu_shows_name_identity_number_and_email(client_for, student_user):
    person = student_user.person
    page = client_for(student_user).get("/start/").text
    assert person.full_name in page
    assert f"{person.identity_number[:8]}-{person.identity_number[8:]}" in page
    assert person.email in page


def test_my_details_saves_a_temporary_address(client_for, student_user):
    client = client_for(student_user)
    response = client.post(
        "/my-details/",
        {
            "email": "new@example.se",
            "phone": "070-123 45 67",
            "temporary_street": "Tillfälliga vägen 3",
            "temporary_postal_code": "113 30",
            "temporary_city": "Stockholm",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=student_user.person_id)
    assert (person.temporary_street, person.temporary_city, person.email) == (
        "Tillfälliga vägen 3",
        "Stockholm",
        "new@example.se",
    )


def test_my_details_cannot_change_the_population_register_address(client_for, student_user):
    client_for(student_user).post(
        "/my-details/",
        {"email": "stina@example.se", "registered_street": "Hackergatan 1", "registered_city": "X"},
    )
    person = Person.objects.get(pk=student_user.person_id)
    assert (person.registered_street, person.registered_city) == ("Storgatan 1", "Lund")


def test_my_details_page_has_no_input_for_the_register_address(client_for, student_user):
    page = client_for(student_user).get("/my-details/").text
    assert "Storgatan 1" in page
    assert 'name="registered_street"' not in page


def test_bad_input_changes_nothing_and_says_why_in_swedish(client_for, student_user):
    before = Person.objects.get(pk=student_user.person_id)
    client = client_for(student_user)
    client.post("/language/", {"language": "sv", "next": "/"})
    response = client.post(
        "/my-details/",
        {"email": "not-an-email", "phone": "070", "temporary_street": "Gatan 1"},
    )
    assert response.status_code == 200
    assert "Inget sparades" in response.text
    after = Person.objects.get(pk=student_user.person_id)
    assert (after.email, after.phone, after.temporary_street) == (
        before.email,
        before.phone,
        before.temporary_street,
    )


def test_changing_email_notifies_the_old_address(
    client_for, student_user, django_capture_on_commit_callbacks, mailoutbox
):
    old = student_user.person.email
    with django_capture_on_commit_callbacks(execute=True):
        client_for(student_user).post("/my-details/", {"email": "fresh@example.se"})
    notification = Notification.objects.get()
    assert (notification.to_email, notification.context["new_email"]) == (old, "fresh@example.se")
    assert notification.sent_at is not None
    assert [m.to for m in mailoutbox] == [[old]]


def test_person_without_identity_number_sees_birth_date_and_local_number(client_for, institution):
    person = PersonFactory(
        identity_number=None, local_number="K123", birth_date=datetime.date(1998, 4, 3)
    )
    enrol(person, institution)
    user = UserFactory(person=person)
    page = client_for(user).get("/my-details/").text
    assert "19980403-K123" in page
    assert "Population register address" not in page


def test_alumni_mode_refuses_student_pages(client_for, student_user):
    client = client_for(student_user)
    session = client.session
    session["portal_mode"] = "alumni"
    session.save()
    # S-AUTH-2: nothing but the alumni pages exists for the session.
    assert client.get("/start/").status_code == 404
    assert client.get("/alumni/").status_code == 200
    assert client.get("/my-details/").status_code == 200


def test_staff_only_account_is_refused_by_the_student_web(client_for, staff_user):
    response = client_for(staff_user).get("/start/")
    assert response.status_code == 403
    assert "This account has no student records" in response.text


def test_student_is_refused_by_the_staff_web(client_for, student_user):
    response = client_for(student_user).get("/staff/")
    assert response.status_code == 403
    assert "This account has no staff rights" in response.text


def test_staff_home_lists_roles_per_university(client_for, staff_user):
    page = client_for(staff_user).get("/staff/").text
    assert "Lund University" in page
    assert "Reporter" in page


@pytest.mark.parametrize("url", ["/start/", "/my-details/", "/alumni/", "/staff/"])
def test_pages_need_a_login(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_home_sends_each_person_to_their_part(client_for, student_user, staff_user):
    assert client_for(student_user).get("/").url == "/start/"
    assert client_for(staff_user).get("/").url == "/staff/"
