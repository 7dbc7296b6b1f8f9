"""Shared fixtures. Factories and direct ORM set-up run with django-scopes disabled; a request
through the test client opens its own scope in the middleware, exactly as in production."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from certificates import seal
from ladokportal import clock
from ladokportal.celery import app as celery_app
from registration.models import ParticipationState
from tests import timetravel
from tests.factories import (
    CourseInstanceFactory,
    CourseParticipationFactory,
    InstitutionFactory,
    LocalTextFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser-tests",
        choices=["with", "without", "only"],
        default="with",
        help="with (the default): run the browser tests too, last; without: leave them out "
        "(the parallel pass of make test); only: run nothing else (its browser pass).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """TEST_NOW=2026-12-05T23:30:00Z runs the suite as if it were then (tests/timetravel.py).
    The pytest-xdist controller fixes the offset here, before it starts its workers, so they
    inherit one offset through the environment."""
    traveller = timetravel.start()
    if traveller is not None:
        config.add_cleanup(traveller.stop)
    _own_cache_and_queue_per_xdist_worker()


def _own_cache_and_queue_per_xdist_worker() -> None:
    """pytest-xdist's workers share REDIS_URL's database: each takes its own cache key prefix
    (allauth's and the verification page's rate-limit counters) and its own Celery queue, and
    the real Celery workers it starts inherit both (tests/worker.py passes the environment on),
    so no test counts another's attempts or takes another's tasks. Test databases are apart
    already: pytest-django suffixes their names with the worker (_gw0, _gw1)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not django_settings.REDIS_URL:
        return
    prefix = f"{django_settings.CACHES['default'].get('KEY_PREFIX', '')}-{worker}"
    queue = f"{django_settings.CELERY_TASK_DEFAULT_QUEUE}-{worker}"
    os.environ["CACHE_KEY_PREFIX"] = prefix
    os.environ["CELERY_QUEUE"] = queue
    caches = {
        **django_settings.CACHES,
        "default": {**django_settings.CACHES["default"], "KEY_PREFIX": prefix},
    }
    # For the whole session; override_settings also drops any cache connection already made.
    override_settings(CACHES=caches, CELERY_TASK_DEFAULT_QUEUE=queue).enable()
    celery_app.conf.task_default_queue = queue


def pytest_report_header(config: pytest.Config) -> str:
    moved = " (TEST_NOW)" if timetravel.offset_seconds() is not None else ""
    return f"clock: {timezone.now():%Y-%m-%dT%H:%M:%SZ} UTC{moved}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last (after pytest-django's own ordering): Playwright's sync API keeps an
    event loop running in the main thread from the first browser test to the end of the
    session, and libraries that call asyncio.run (pyHanko's seal and its validation) cannot
    run in a thread that has one. `--browser-tests=without` or `only` keeps one side."""
    choice = config.getoption("--browser-tests")
    if choice != "with":
        wanted = choice == "only"
        dropped = [item for item in items if _is_browser_test(item) != wanted]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if _is_browser_test(item) == wanted]
    items.sort(key=_is_browser_test)


def _is_browser_test(item: pytest.Item) -> bool:
    return item.path.is_relative_to(BROWSER_TESTS)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the test database is a file, as the demo's is (pytest-django's default is an
    in-memory database, where WAL and file locking do not exist, and threads share one
    connection's cache instead of taking the locks two visitors' requests take). Each process,
    every pytest-xdist worker included, has its own file in its own temporary folder."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.getbasetemp() / "test-database.sqlite3")


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_database_sessions(settings):
    # Real hashing costs half a second per password; the tests are not about the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pinned query counts include the session read: keep it one query whether or not REDIS_URL
    # (which caches sessions in Redis) is set.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request through the test client activates
    the visitor's language in this thread and nothing switches it back."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _eager_tasks_and_clean_cache():
    """Tasks run in-process unless a test starts a real worker (tests/notifications); the cache
    (allauth's rate-limit counters, sessions with Redis) starts empty for every test."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def institution(db):
    inst = InstitutionFactory(code="lu", name_sv="Lunds universitet", name_en="Lund University")
    LocalTextFactory(
        institution=inst,
        body_sv="<p>Välkommen till Lunds universitet.</p>",
        body_en="<p>Welcome to Lund University.</p>",
    )
    return inst


@pytest.fixture
def other_institution(db):
    inst = InstitutionFactory(
        code="uu", name_sv="Uppsala universitet", name_en="Uppsala University"
    )
    LocalTextFactory(
        institution=inst,
        body_sv="<p>Välkommen till Uppsala universitet.</p>",
        body_en="<p>Welcome to Uppsala University.</p>",
    )
    return inst


def enrol(person, institution, state=ParticipationState.ADMITTED):
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=clock.today(),
        end_date=clock.today() + datetime.timedelta(days=60),
    )
    return CourseParticipationFactory(person=person, course_instance=instance, state=state)


@pytest.fixture
def student_user(institution):
    person = PersonFactory(first_name="Stina", last_name="Student")
    enrol(person, institution)
    return UserFactory(username="stina", person=person)


@pytest.fixture
def staff_user(institution):
    user = UserFactory(username="tove")
    StaffRoleFactory(user=user, institution=institution)
    return user


@pytest.fixture
def client_for():
    def make(user, **headers) -> Client:
        client = Client(**headers)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def documents(settings, tmp_path):
    """Rendered files and the demo seal live in the test's own folder, and the seal key cached
    in this process is the one made there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_DIR = tmp_path / "seals"
    settings.SEAL_DEMO_KEYS = True
    settings.SEAL_KEY_PASSPHRASE = ""
    seal.clear_cache()
    yield tmp_path
    seal.clear_cache()
