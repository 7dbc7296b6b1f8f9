"""An expired form (#12 point 6): the CSRF failure page is the portal's, in the layout and the
person's language, and says what happened and how to go on (Django's own page is bare and
English)."""

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Formuläret hade gått ut"), ("en", "The form had expired")],
)
def test_a_form_with_a_stale_token_gets_the_portals_page(
    client_for, student_user, language, heading
):
    client = client_for(student_user, enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    response = client.post(
        "/my-details/",
        {"email": "x@example.se"},
        headers={"Referer": "http://testserver/my-details/"},
    )
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in response.text
    assert 'class="site-header"' in response.text
    assert 'href="http://testserver/my-details/"' in response.text


@pytest.mark.django_db
def test_a_referer_from_elsewhere_is_not_offered():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {}, headers={"Referer": "https://evil.example/"}
    )
    assert response.status_code == 403
    assert "evil.example" not in response.text
