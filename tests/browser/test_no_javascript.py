"""G-2: pages are server-rendered and work without JavaScript; htmx only makes them faster."""

from people.models import Person
from tests.browser import html_lang, login, open_page, submit, switch_language


def test_login_language_switch_and_my_details_work_without_javascript(
    new_page, live_server, world
) -> None:
    page = new_page(locale="sv-SE", java_script_enabled=False)

    login(page, live_server, "anna")
    assert page.url == f"{live_server.url}/start/"
    assert html_lang(page) == "sv"

    switch_language(page, "en")
    assert html_lang(page) == "en"

    open_page(page, f"{live_server.url}/my-details/")
    page.locator("input[name='phone']").fill("070-123 45 67")
    submit(page, "form[action$='/my-details/'] button[type='submit']")

    assert page.url == f"{live_server.url}/my-details/"
    assert page.locator(".messages .alert--success").all_inner_texts() == [
        "Your contact details have been saved."
    ]
    assert page.locator("input[name='phone']").input_value() == "070-123 45 67"
    assert Person.objects.get(pk=world.person.pk).phone == "070-123 45 67"
