"""G-1: the first visit follows the browser's language (Swedish or English, else English); the
menu switches it; the choice lives in a cookie, so it survives logout."""

import pytest
from django.conf import settings
from playwright.sync_api import Page

from people.models import Person
from tests.browser import html_lang, log_out, login, open_menu, open_page, switch_language


@pytest.mark.parametrize(
    ("locale", "expected"), [("sv-SE", "sv"), ("en-US", "en"), ("de-DE", "en")]
)
def test_first_visit_follows_the_browser_language(
    new_page, live_server, locale: str, expected: str
) -> None:
    page = new_page(locale=locale)

    open_page(page, f"{live_server.url}/accounts/login/")

    assert html_lang(page) == expected


def language_cookie(page: Page) -> str | None:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(settings.LANGUAGE_COOKIE_NAME)


@pytest.mark.parametrize("locale", ["sv-SE"])
def test_switching_language_in_the_menu_survives_logout(
    page: Page, live_server, world, locale: str
) -> None:
    login(page, live_server, "anna")
    assert html_lang(page) == "sv"
    open_menu(page)
    assert page.locator("details.menu button[name='language']").inner_text() == "In English"

    switch_language(page, "en")

    assert page.url == f"{live_server.url}/start/"
    assert html_lang(page) == "en"
    open_menu(page)
    assert page.locator("details.menu button[name='language']").inner_text() == "På svenska"
    assert language_cookie(page) == "en"
    assert Person.objects.get(pk=world.person.pk).language == "en"

    log_out(page)

    assert page.url == f"{live_server.url}/accounts/login/"
    assert html_lang(page) == "en"
    assert language_cookie(page) == "en"


def test_anonymous_visitor_switches_language_on_the_login_page(page: Page, live_server) -> None:
    open_page(page, f"{live_server.url}/accounts/login/")
    assert html_lang(page) == "en"

    switch_language(page, "sv")

    assert page.url == f"{live_server.url}/accounts/login/"
    assert html_lang(page) == "sv"
    open_page(page, f"{live_server.url}/accounts/login/")
    assert html_lang(page) == "sv"
