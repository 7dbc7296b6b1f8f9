"""Browser tests: Playwright for Python driving Debian's Chromium (DESIGN.md, Stack).

The fixtures live in conftest.py (`browser`, `page`, `locale`, `new_page`, `world`); the helpers
below are what a test calls. Each one checks what it must and fails with a message that says
what a person would have met on the page.
"""

from importlib import import_module

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, Response

_axe = Axe()

# The product rule G-2: every student page works at this width.
PHONE = {"width": 360, "height": 800}
# Staff pages are built for this width and degrade gracefully on a phone.
LAPTOP = {"width": 1280, "height": 800}
DEMO_PASSWORD = "demo"  # what UserFactory gives every account, as the demo does


def open_page(page: Page, url: str, *, status: int = 200) -> Response:
    """Go to url and wait until the page has loaded; the final response must have `status`."""
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    return response


def login(page: Page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form, as a person would, and wait for the landing page."""
    open_page(page, f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(input[name='login'])")
    form.locator("input[name='login']").fill(username)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type='submit']").click()
    assert "/accounts/login/" not in page.url, f"login as {username} failed: still on {page.url}"


def open_menu(page: Page) -> None:
    """Open the <details> menu in the header (it works without JavaScript)."""
    menu = page.locator("details.menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    assert menu.get_attribute("open") is not None, "the menu did not open"


def submit(page: Page, button_selector: str) -> None:
    """Press a button that posts a form, and wait for the page it leads to."""
    with page.expect_navigation(wait_until="load"):
        page.locator(button_selector).click()


def switch_language(page: Page, language: str) -> None:
    """Press "In English" or "På svenska" in the menu."""
    open_menu(page)
    submit(page, f"details.menu button[name='language'][value='{language}']")


def log_out(page: Page) -> None:
    open_menu(page)
    submit(page, "details.menu form[action$='/accounts/logout/'] button[type='submit']")


def update_session(page: Page, **values: object) -> None:
    """Write values into the logged-in browser's server-side session, for states that only an
    outside party can create (alumni mode comes from an e-ID login, S-AUTH-2)."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    # The live server's middleware keeps the session engine it started with (database, or
    # database cached in Redis when REDIS_URL is set); the cached_db store writes both places,
    # so the server sees the change either way.
    store = import_module("django.contrib.sessions.backends.cached_db").SessionStore(
        session_key=cookie["value"]
    )
    store.update(values)
    store.save()


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def assert_no_horizontal_scroll(page: Page) -> None:
    """Nothing sticks out sideways: neither the document nor the body is wider than the window."""
    widths = page.evaluate(
        """() => ({
            window: window.innerWidth,
            document: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
        })"""
    )
    assert widths["document"] <= widths["window"], f"page scrolls sideways on {page.url}: {widths}"
    assert widths["body"] <= widths["window"], f"body scrolls sideways on {page.url}: {widths}"


def assert_no_axe_violations(page: Page, within: str | None = None) -> None:
    """G-3: axe-core with all of its default rules (WCAG 2.1 A and AA, best practices): zero
    violations on the page, or only within the element matched by the CSS selector `within`.

    Playwright injects axe with page.evaluate, which goes through the DevTools protocol: the
    page's Content-Security-Policy governs the page's own scripts, not that channel, so axe runs
    on pages with the real CSP and no context needs bypass_csp (test_csp.py checks that the CSP
    holds and reports nothing while axe runs)."""
    results = _axe.run(page, context=within)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, (
        f"{results.violations_count} axe violations on {page.url}:\n{results.generate_snapshot()}"
    )


def assert_phone_ready(page: Page) -> None:
    """The checks every page gets: no sideways scroll at the context's width and axe clean, then
    the same with the menu open. The open panel covers part of the page (axe could not judge the
    contrast beneath it), so the second axe run looks at the menu only."""
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    open_menu(page)
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page, within="details.menu")
