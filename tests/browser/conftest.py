"""The browser harness: one headless Chromium per test session, a fresh context (cookies,
language, viewport) per test, Django's live server, and a small world built with the factories.

Chromium is Debian's (`/usr/bin/chromium`, packages chromium and chromium-driver, `make
browser-deps`); Playwright's own browser download is never used. Without it every test here is
skipped for one stated reason, unless REQUIRE_BROWSER=1 asks for a loud failure (CI).
"""

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from catalog.grading import NATIONAL_SCALES, SCALE_UG
from catalog.models import GradingScale
from people.models import Person, User
from tests.browser import PHONE
from tests.conftest import enrol
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory, valid_identity_number

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
MISSING = f"Chromium not found at {CHROMIUM}: install Debian packages chromium and chromium-driver"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives the browser: mark it so `-m "not browser"` leaves it."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without Chromium, skip before any fixture starts: raised here, every skip has the same
    origin, so the summary folds them into one line."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {MISSING}", pytrace=False)
        pytest.skip(MISSING)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio event loop registered as running in this thread
    # for as long as it is started. Django sees that loop and refuses every ORM call from here
    # on (SynchronousOnlyOperation) - the factories, the assertions that read the database and
    # pytest-django's flush between tests. Nothing here runs async code, so the check is switched
    # off while Playwright runs, and restored when it stops.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def locale() -> str:
    """The browser's language, sent as Accept-Language (G-1). Parametrise it to change it."""
    return "en-US"


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context: its own cookies, language and viewport. Keyword arguments
    go to Browser.new_context (java_script_enabled=False, bypass_csp=True, viewport=...)."""
    contexts = []

    def make(locale: str = "en-US", **options: object) -> Page:
        options.setdefault("viewport", PHONE)
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page], locale: str) -> Page:
    return new_page(locale=locale)


@dataclass(frozen=True)
class World:
    """A small, realistic world: two universities, three students and a teacher."""

    two_universities: User  # studies at Lund and Uppsala: the university switch shows
    one_university: User  # studies at Lund only
    no_identity_number: User  # no Swedish personal identity number: birth date + local number
    staff: User  # reporter at Lund, no student records

    @property
    def person(self) -> Person:
        """The two-university student's Person, the one most scenarios follow."""
        return self.two_universities.person


@pytest.fixture
def world(institution, other_institution) -> World:
    # The factories take the national scales from the data migration (catalog 0003), but a
    # transactional test's flush empties their table for the tests after it: put back the one
    # the courses here use.
    code, name_sv, name_en, _grades = next(s for s in NATIONAL_SCALES if s[0] == SCALE_UG)
    GradingScale.objects.get_or_create(code=code, defaults={"name_sv": name_sv, "name_en": name_en})
    birth = datetime.date(1999, 4, 17)
    anna = PersonFactory(
        first_name="Anna",
        last_name="Lindqvist",
        birth_date=birth,
        identity_number=valid_identity_number(birth, 238),
        email="anna.lindqvist@example.se",
        registered_street="Kungsgatan 12",
        registered_postal_code="753 21",
        registered_city="Uppsala",
    )
    enrol(anna, institution)
    enrol(anna, other_institution)
    erik = PersonFactory(first_name="Erik", last_name="Berg")
    enrol(erik, institution)
    kim = PersonFactory(
        first_name="Kim",
        last_name="Nguyen",
        birth_date=datetime.date(2001, 9, 3),
        identity_number=None,
        local_number="K123",
        email="kim.nguyen@example.com",
        registered_street="",
        registered_postal_code="",
        registered_city="",
    )
    enrol(kim, institution)
    staff = UserFactory(username="tove", first_name="Tove", last_name="Lärare")
    StaffRoleFactory(user=staff, institution=institution)
    return World(
        two_universities=UserFactory(username="anna", person=anna),
        one_university=UserFactory(username="erik", person=erik),
        no_identity_number=UserFactory(username="kim", person=kim),
        staff=staff,
    )
