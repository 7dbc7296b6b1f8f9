"""The Content-Security-Policy holds in a real browser: no page of the foundation trips it, and it
does block inline script (DESIGN.md, Stack: strict CSP, no inline script)."""

import pytest
from playwright.sync_api import ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError

from tests.browser import (
    assert_no_axe_violations,
    login,
    open_menu,
    open_page,
    submit,
)

# Collects securitypolicyviolation events in every document the context opens. Playwright adds
# init scripts through the DevTools protocol, so the page's CSP does not stop this one.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def csp_problems(page: Page, console: list[str]) -> list[str]:
    events = page.evaluate("window.__cspViolations")
    return events + [m for m in console if "Content Security Policy" in m]


def test_pages_keep_the_strict_csp_without_violations(page: Page, live_server, world) -> None:
    console: list[str] = []

    def remember(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            console.append(f"{message.type}: {message.text}")

    page.on("console", remember)
    page.context.add_init_script(RECORD_VIOLATIONS)

    response = open_page(page, f"{live_server.url}/accounts/login/")
    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert csp_problems(page, console) == []

    login(page, live_server, "anna")
    open_menu(page)
    assert_no_axe_violations(page)
    assert csp_problems(page, console) == []

    response = open_page(page, f"{live_server.url}/my-details/")
    policy = directives(response.headers["content-security-policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    submit(page, "form[action$='/my-details/'] button[type='submit']")
    assert csp_problems(page, console) == []
    assert console == []


def test_csp_blocks_inline_script(page: Page, live_server) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    open_page(page, f"{live_server.url}/accounts/login/")

    with pytest.raises(PlaywrightError, match="violates the following Content Security Policy"):
        page.add_script_tag(content="window.__inlineRan = true;")

    assert page.evaluate("window.__inlineRan === undefined")
    assert page.evaluate("window.__cspViolations") == ["script-src-elem inline"]
