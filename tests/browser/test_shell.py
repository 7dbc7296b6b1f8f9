"""Every page of the foundation at 360 px, in Swedish and in English: the right language, the
right content, zero axe violations and nothing that scrolls sideways (G-1, G-2, G-3).

The no-match page (people/no_match.html) is only reached through an identity provider's login;
tests/people/test_oidc_login.py covers it."""

import pytest
from playwright.sync_api import Page

from people.adapters import PORTAL_MODE_KEY
from people.models import Person
from tests.browser import (
    assert_phone_ready,
    html_lang,
    login,
    open_page,
    submit,
    update_session,
)

BOTH_LANGUAGES = pytest.mark.parametrize("locale", ["sv-SE", "en-US"])


def say(locale: str, *, sv: str, en: str) -> str:
    """What the page must say in the browser's language."""
    return sv if locale.startswith("sv") else en


@BOTH_LANGUAGES
def test_login_page_for_anonymous_visitor(page: Page, live_server, locale: str) -> None:
    open_page(page, f"{live_server.url}/accounts/login/")

    assert html_lang(page) == locale[:2]
    assert page.locator("h1").inner_text() == say(
        locale, sv="Logga in i Ladok", en="Log in to Ladok"
    )
    assert page.locator("input[name='login']").count() == 1
    assert page.locator("input[name='password']").count() == 1
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_login_page_after_a_wrong_password(page: Page, live_server, world, locale: str) -> None:
    open_page(page, f"{live_server.url}/accounts/login/")

    page.locator("input[name='login']").fill("anna")
    page.locator("input[name='password']").fill("not-the-password")
    submit(page, "form:has(input[name='login']) button[type='submit']")

    assert page.url == f"{live_server.url}/accounts/login/"
    summary = page.locator(".alert--error[role='alert']")
    assert summary.locator("p").inner_text() == say(
        locale, sv="Du kunde inte loggas in:", en="You could not be logged in:"
    )
    assert summary.locator("li").all_inner_texts() == [
        say(
            locale,
            sv="Användarnamnet och/eller lösenordet är felaktigt.",
            en="The username and/or password you specified are not correct.",
        )
    ]
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_start_page_shows_the_universitys_other_information(
    page: Page, live_server, world, locale: str
) -> None:
    login(page, live_server, "erik")

    assert page.url == f"{live_server.url}/start/"
    assert html_lang(page) == locale[:2]
    section = page.locator("section[aria-labelledby='other-information']")
    assert section.locator("h2").inner_text() == say(
        locale, sv="Övrig information", en="Other information"
    )
    assert section.locator(".local-text").inner_text() == say(
        locale, sv="Välkommen till Lunds universitet.", en="Welcome to Lund University."
    )
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_my_details_page(page: Page, live_server, world, locale: str) -> None:
    login(page, live_server, "anna")

    open_page(page, f"{live_server.url}/my-details/")

    assert html_lang(page) == locale[:2]
    assert page.locator("h1").inner_text() == say(locale, sv="Mina uppgifter", en="My details")
    assert page.locator("input[name='email']").input_value() == "anna.lindqvist@example.se"
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_my_details_after_an_invalid_email_shows_the_error(
    page: Page, live_server, world, locale: str
) -> None:
    login(page, live_server, "anna")
    open_page(page, f"{live_server.url}/my-details/")

    page.locator("input[name='email']").fill("anna.lindqvist.example.se")
    submit(page, "form[action$='/my-details/'] button[type='submit']")

    summary = page.locator(".alert--error[role='alert']")
    assert summary.locator("p").inner_text() == say(
        locale,
        sv="Inget sparades. Rätta följande:",
        en="Nothing was saved. Please correct the following:",
    )
    email = page.locator("input[name='email']")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == say(
        locale, sv="Fyll i en giltig e-postadress.", en="Enter a valid email address."
    )
    assert Person.objects.get(pk=world.person.pk).email == "anna.lindqvist@example.se"
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_my_details_for_a_student_without_identity_number(
    page: Page, live_server, world, locale: str
) -> None:
    login(page, live_server, "kim")

    open_page(page, f"{live_server.url}/my-details/")

    facts = page.locator("#identity-heading + .facts")
    assert facts.locator("dt").nth(1).inner_text() == say(
        locale, sv="Födelsedatum och lokalt nummer", en="Date of birth and local number"
    )
    assert facts.locator("dd").nth(1).inner_text() == "20010903-K123"
    assert page.locator("#registered-heading").count() == 0
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_alumni_start_page(page: Page, live_server, world, locale: str) -> None:
    login(page, live_server, "anna")
    # Alumni mode comes from an e-ID login (tests/people/test_oidc_login.py); here the session
    # is put in that mode directly, to look at the page.
    update_session(page, **{PORTAL_MODE_KEY: "alumni"})

    # In alumni mode the student's own start page does not exist (S-AUTH-2: 404); the alumni
    # page is the way in.
    open_page(page, f"{live_server.url}/alumni/")

    assert html_lang(page) == locale[:2]
    links = page.locator("main .link-list a")
    assert links.all_inner_texts()[0] == say(locale, sv="Intyg", en="Certificates")
    assert links.all_inner_texts()[-1] == say(locale, sv="Mina uppgifter", en="My details")
    assert len(links.all_inner_texts()) == 3
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_staff_home(page: Page, live_server, world, locale: str) -> None:
    login(page, live_server, "tove")

    assert page.url == f"{live_server.url}/staff/"
    assert html_lang(page) == locale[:2]
    assert page.locator("h1").inner_text() == say(locale, sv="Personalstart", en="Staff home")
    # Tove reports results (T-DEAD-1: the card lists what is due), then her rights.
    assert page.locator("main .card h2").all_inner_texts() == [
        say(locale, sv="Rapportera resultat", en="Report results"),
        say(locale, sv="Lunds universitet aktuellt", en="Lund University current"),
    ]
    assert_phone_ready(page)


@BOTH_LANGUAGES
def test_not_student_page_for_a_staff_only_account(
    page: Page, live_server, world, locale: str
) -> None:
    login(page, live_server, "tove")

    open_page(page, f"{live_server.url}/start/", status=403)

    assert html_lang(page) == locale[:2]
    assert page.locator("h1").inner_text() == say(
        locale,
        sv="Det här kontot har inga studieuppgifter",
        en="This account has no student records",
    )
    assert page.locator("main a.button").get_attribute("href") == "/staff/"
    assert_phone_ready(page)
