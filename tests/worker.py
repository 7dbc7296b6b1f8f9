"""Real Celery worker processes for tests and benchmarks (DESIGN.md § Stack): the same command as
production (`celery -A ladokportal worker`), against the test's PostgreSQL database and Redis,
with the test's MEDIA_ROOT and SEAL_DIR, so a file the worker stores or a seal it creates is the
one the test process reads.

`start_worker(tmp_path, extra_env)` starts one; `prepare` points the test process at its own
media and seal folders under tmp_path and sends tasks to the broker instead of running them
in-process. Two fixtures do both: `worker` (one solo worker for the test) and `start_workers`
(a function starting as many as the test needs; all are stopped at the end). A test module takes
a fixture by importing it:

    from tests.worker import worker_fixture  # noqa: F401 - the `worker` fixture

Needs REDIS_URL and DATABASE_URL (PostgreSQL); CI sets REQUIRE_WORKER=1 so a missing service
fails instead of skipping.
"""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from ladokportal.celery import app as celery_app
from tests import timetravel

STOP_SECONDS = 15


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path
    mail_dir: Path
    _log: object = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes at once: nothing finishes, nothing is
        acknowledged, as when a machine dies."""
        self._signal_group(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Warm shutdown (running tasks finish), then kill whatever is left of its group."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_SECONDS)
        self._signal_group(signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def _signal_group(self, signum: int) -> None:
        # The worker leads a session of its own (start_new_session), so its group id is its pid
        # and the group holds exactly the worker and its pool children.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


def database_url() -> str:
    """The database this process is connected to (the test database inside pytest)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(tmp_path: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The test process's database, broker and folders, e-mail to files under tmp_path."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SEAL_DIR": str(settings.SEAL_DIR),
        "SEAL_DEMO_KEYS": "true" if settings.SEAL_DEMO_KEYS else "false",
        "SEAL_KEY_PASSPHRASE": settings.SEAL_KEY_PASSPHRASE,
        "SITE_URL": settings.SITE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        **(extra_env or {}),
    }


def start_worker(
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    *,
    name: str = "worker",
    pool: str = "solo",
    concurrency: int = 1,
    loglevel: str = "WARNING",
    args: tuple[str, ...] = (),
) -> Worker:
    """A worker process consuming the project's queue; its output goes to tmp_path/<name>.log."""
    if not settings.REDIS_URL:
        raise RuntimeError("REDIS_URL is not set: a real worker needs Redis as broker")
    log_path = tmp_path / f"{name}.log"
    log = log_path.open("w")
    command = [
        *timetravel.celery_command(),
        "-A",
        "ladokportal",
        "worker",
        f"--hostname={name}@%h",
        f"--pool={pool}",
        "--without-mingle",
        "--without-gossip",
        f"--loglevel={loglevel}",
    ]
    if pool != "solo":
        command.append(f"--concurrency={concurrency}")
    process = subprocess.Popen(
        [*command, *args],
        cwd=settings.BASE_DIR,
        env=worker_env(tmp_path, extra_env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Worker(
        name=name, process=process, log_path=log_path, mail_dir=tmp_path / "mail", _log=log
    )


def wait_for(predicate: Callable[[], object], seconds: float = 40.0, every: float = 0.2):
    """The predicate's first true answer within `seconds`, else None."""
    deadline = time.monotonic() + seconds
    while True:
        answer = predicate()
        if answer:
            return answer
        if time.monotonic() >= deadline:
            return None
        time.sleep(every)


def _needs(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_WORKER") == "1":
        pytest.fail(f"REQUIRE_WORKER=1 but {reason}")
    pytest.skip(reason)


def prepare(settings, tmp_path: Path) -> None:
    """Skip (or fail under REQUIRE_WORKER=1) without Redis and PostgreSQL; otherwise tasks go to
    the broker, and the test and its workers share tmp_path/media and tmp_path/seals.
    `settings` is pytest-django's fixture, which puts the old values back after the test."""
    from certificates import seal

    _needs(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    _needs(connection.vendor == "postgresql", "the worker needs PostgreSQL to share the test data")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_DIR = tmp_path / "seals"
    settings.SEAL_DEMO_KEYS = True
    settings.SEAL_KEY_PASSPHRASE = ""
    seal.clear_cache()
    celery_app.control.purge()
    # tests/conftest.py puts the previous value back after the test.
    celery_app.conf.task_always_eager = False


@pytest.fixture(name="start_workers")
def start_workers_fixture(settings, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """start_workers(extra_env, **options) -> Worker; every one is stopped after the test."""
    from certificates import seal

    prepare(settings, tmp_path)
    started: list[Worker] = []

    def start(extra_env: dict[str, str] | None = None, **options) -> Worker:
        options.setdefault("name", f"worker{len(started) + 1}")
        started.append(start_worker(tmp_path, extra_env, **options))
        return started[-1]

    try:
        yield start
    finally:
        for running in started:
            running.stop()
        seal.clear_cache()


@pytest.fixture(name="worker")
def worker_fixture(settings, tmp_path: Path) -> Iterator[Worker]:
    """One solo worker for the whole test."""
    from certificates import seal

    prepare(settings, tmp_path)
    running = start_worker(tmp_path)
    try:
        yield running
    finally:
        running.stop()
        seal.clear_cache()
