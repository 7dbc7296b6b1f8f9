"""`make test`: the whole suite in two passes, so that it stays fast as it grows.

    python -m tests.suite [pytest arguments]

1. Everything but the browser tests, spread over pytest-xdist workers (TEST_WORKERS, default
   `auto`: one per core; `0` runs them in this process). Each worker has its own test database
   (pytest-django's _gw0, _gw1 suffixes), and with REDIS_URL its own cache key prefix and Celery
   queue (tests/conftest.py), so the real Celery workers of tests/worker.py run side by side.
2. The browser tests, in one process of their own: Playwright's sync API keeps an event loop
   running in the main thread from the first browser test on, and pyHanko's seal
   (asyncio.run) cannot run beside it. BROWSER_TESTS=no leaves this pass out.

Python's bytecode cache is on for them even where PYTHONDONTWRITEBYTECODE is set: otherwise every
process (each xdist worker, each real Celery worker a test starts) compiles Django, the libraries
and the project from source again, which costs more than collecting the suite does (12 s of CPU
instead of 4 s for `pytest --collect-only` here). The caches go to the usual __pycache__
folders, which git ignores.

Both passes get the arguments given (PYTEST_ARGS) and print their slowest tests. A pass that the
arguments leave empty (a single test file, say) is no failure, but the two together must run a
test. The exit status is the first failing pass's, 5 (pytest's "no tests collected") when neither
ran anything, else 0. At the end one line per pass gives what pytest counted and the time taken.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = ROOT / ".venv" / "bin" / "pytest"
NO_TESTS = 5  # pytest.ExitCode.NO_TESTS_COLLECTED
DURATIONS = ["--durations=25", "--durations-min=0.5"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
OUTCOME = re.compile(
    r"\b(passed|failed|errors?|skipped|xfailed|xpassed|deselected|no tests ran)\b.* in [\d.]+s"
)


def run_pass(label: str, arguments: list[str]) -> tuple[int, str, float]:
    """Run pytest, echoing its output; its exit status, its outcome line and the seconds."""
    print(f"\n---- {label}: pytest {' '.join(arguments)}", flush=True)
    started = time.monotonic()
    outcome = "no outcome line (pytest stopped early)"
    environment = {
        name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
    }
    with subprocess.Popen(
        [str(PYTEST), *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            plain = ANSI.sub("", line).strip(" =\n")
            if OUTCOME.search(plain):
                outcome = plain
        status = process.wait()
    return status, outcome, time.monotonic() - started


def main(arguments: list[str]) -> int:
    workers = os.environ.get("TEST_WORKERS", "").strip() or "auto"
    with_browser = os.environ.get("BROWSER_TESTS", "yes").strip().lower() not in {"no", "0"}
    # Colours survive the pipe when a person watches; CI's log stays plain.
    colour = ["--color=yes"] if sys.stdout.isatty() else []
    passes = [
        (
            f"Tests except the browser's, pytest-xdist -n {workers}",
            ["-n", workers, "--browser-tests=without", *DURATIONS, *colour, *arguments],
        )
    ]
    if with_browser:
        passes.append(
            (
                "Browser tests, one process",
                ["--browser-tests=only", *DURATIONS, *colour, *arguments],
            )
        )
    results = []
    try:
        for label, pass_arguments in passes:
            results.append((label, *run_pass(label, pass_arguments)))
    except KeyboardInterrupt:
        return 130
    if not with_browser:
        results.append(("Browser tests", NO_TESTS, "left out (BROWSER_TESTS=no)", 0.0))

    print("\n---- make test", flush=True)
    for label, _status, outcome, seconds in results:
        took = f" ({seconds:.0f} s)" if seconds else ""
        print(f"{label}: {outcome}{took}")
    failures = [status for _, status, _, _ in results if status not in {0, NO_TESTS}]
    if failures:
        return failures[0]
    if all(status == NO_TESTS for _, status, _, _ in results):
        print("No test ran.")
        return NO_TESTS
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
