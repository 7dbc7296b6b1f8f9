"""A student's way through the foundation in the browser: the menu (S-CONT-1), the university
switch (S-INST-1, G-5) and My details (S-CONT-2, S-CONT-3)."""

import datetime
import re

import pytest
from playwright.sync_api import Page

from ladokportal import clock
from people.models import Person
from tests.browser import login, open_menu, open_page, submit

SAVE = "form[action$='/my-details/'] button[type='submit']"


def test_menu_shows_name_identity_number_and_email(page: Page, live_server, world) -> None:
    login(page, live_server, "anna")

    open_menu(page)

    number = world.person.identity_number
    identity = page.locator("details.menu .menu__identity p")
    assert identity.all_inner_texts() == [
        "Anna Lindqvist",
        f"{number[:8]}-{number[8:]}",
        "anna.lindqvist@example.se",
    ]
    assert re.fullmatch(r"\d{8}-\d{4}", identity.nth(1).inner_text())


@pytest.mark.parametrize(
    ("locale", "lund", "uppsala", "uppsala_name"),
    [
        (
            "sv-SE",
            "Välkommen till Lunds universitet.",
            "Välkommen till Uppsala universitet.",
            "Uppsala universitet",
        ),
        (
            "en-US",
            "Welcome to Lund University.",
            "Welcome to Uppsala University.",
            "Uppsala University",
        ),
    ],
    ids=["sv", "en"],
)
def test_switching_university_shows_the_other_universitys_texts(
    page: Page,
    live_server,
    world,
    other_institution,
    locale: str,
    lund: str,
    uppsala: str,
    uppsala_name: str,
) -> None:
    login(page, live_server, "anna")
    assert page.locator(".local-text").all_inner_texts() == [lund]

    open_menu(page)
    page.locator("#menu-institution").select_option(str(other_institution.pk))
    submit(page, "details.menu form[action$='/institution/'] button[type='submit']")

    assert page.url == f"{live_server.url}/start/"
    assert page.locator(".local-text").all_inner_texts() == [uppsala]
    assert page.locator(".brand__institution").inner_text() == uppsala_name
    open_page(page, f"{live_server.url}/start/")
    assert page.locator(".local-text").all_inner_texts() == [uppsala]


def test_temporary_address_is_saved_and_shown_again(page: Page, live_server, world) -> None:
    login(page, live_server, "anna")
    open_page(page, f"{live_server.url}/my-details/")
    valid_until = clock.today() + datetime.timedelta(days=120)

    page.locator("input[name='temporary_care_of']").fill("Familjen Ek")
    page.locator("input[name='temporary_street']").fill("Rackarbergsgatan 5")
    page.locator("input[name='temporary_postal_code']").fill("752 32")
    page.locator("input[name='temporary_city']").fill("Uppsala")
    page.locator("input[name='temporary_valid_until']").fill(valid_until.isoformat())
    submit(page, SAVE)

    assert page.url == f"{live_server.url}/my-details/"
    assert page.locator(".messages .alert--success").all_inner_texts() == [
        "Your contact details have been saved."
    ]
    page.reload(wait_until="load")
    assert page.locator(".messages").count() == 0
    values = {
        name: page.locator(f"input[name='{name}']").input_value()
        for name in (
            "temporary_care_of",
            "temporary_street",
            "temporary_postal_code",
            "temporary_city",
            "temporary_valid_until",
        )
    }
    assert values == {
        "temporary_care_of": "Familjen Ek",
        "temporary_street": "Rackarbergsgatan 5",
        "temporary_postal_code": "752 32",
        "temporary_city": "Uppsala",
        "temporary_valid_until": valid_until.isoformat(),
    }
    saved = Person.objects.get(pk=world.person.pk)
    assert (saved.temporary_street, saved.temporary_valid_until) == (
        "Rackarbergsgatan 5",
        valid_until,
    )


def test_population_register_address_is_shown_but_cannot_be_edited(
    page: Page, live_server, world
) -> None:
    login(page, live_server, "anna")

    open_page(page, f"{live_server.url}/my-details/")

    registered = page.locator("section[aria-labelledby='registered-heading']")
    assert registered.locator(".address").inner_text() == "Kungsgatan 12\n753 21 Uppsala"
    assert registered.locator("input, select, textarea").count() == 0
    assert page.locator("[name^='registered']").count() == 0
    inputs = page.locator("form[action$='/my-details/'] input:not([type='hidden'])")
    assert "Kungsgatan 12" not in [inputs.nth(i).input_value() for i in range(inputs.count())]


def test_student_without_identity_number_adds_a_temporary_address(
    page: Page, live_server, world
) -> None:
    login(page, live_server, "kim")
    open_page(page, f"{live_server.url}/my-details/")

    page.locator("input[name='temporary_street']").fill("Studentvägen 3")
    page.locator("input[name='temporary_postal_code']").fill("224 78")
    page.locator("input[name='temporary_city']").fill("Lund")
    page.locator("input[name='temporary_country']").fill("Sverige")
    submit(page, SAVE)

    assert page.locator(".messages .alert--success").all_inner_texts() == [
        "Your contact details have been saved."
    ]
    saved = Person.objects.get(pk=world.no_identity_number.person_id)
    assert (
        saved.temporary_street,
        saved.temporary_postal_code,
        saved.temporary_city,
        saved.temporary_country,
    ) == ("Studentvägen 3", "224 78", "Lund", "Sverige")
