"""The login library's own pages a person meets (#12 point 6): re-authentication while
certifying and the password change are drawn as the portal draws forms (a card, the portal's
fields and buttons), in both languages; the separate e-mail-address page is gone, since the
contact e-mail in My details is the one that counts, and the login address follows it."""

import pytest

from people.services import update_contact_details

pytestmark = pytest.mark.django_db

PAGES = {
    "/accounts/reauthenticate/": ("Bekräfta åtkomst", "Confirm Access"),
    "/accounts/password/change/": ("Ändra lösenord", "Change Password"),
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("url", list(PAGES))
def test_the_pages_are_the_portals_forms_in_both_languages(url, language, client_for, staff_user):
    client = client_for(staff_user)
    client.cookies["django_language"] = language
    text = client.get(url).text
    heading = PAGES[url][0 if language == "sv" else 1]
    assert f'<html lang="{language}">' in text
    assert heading in text
    main = text.split('<main id="main"', 1)[1]
    assert '<form class="card narrow" method="post"' in main
    assert 'class="field' in main
    assert 'class="button"' in main


def test_the_email_page_is_gone(client_for, staff_user):
    assert client_for(staff_user).get("/accounts/email/").status_code == 404


def test_the_login_address_follows_the_contact_email(client_for, student_user):
    person = student_user.person
    update_contact_details(student_user, person=person, changes={"email": "ny@example.se"})
    student_user.refresh_from_db()
    assert student_user.email == "ny@example.se"
