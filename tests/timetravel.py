"""Run the whole suite as if it were another moment: `TEST_NOW=2026-12-05T23:30:00Z make test`.

The clock starts at TEST_NOW when the session starts and runs on from there (time-machine with
tick=True), in the test process, in pytest-xdist's workers and in the real Celery workers the
tests start (tests/worker.py runs them through this module). All of them share one offset from
the real clock, TEST_NOW_OFFSET, so a lease a worker takes and the test that waits for it agree
on the time. Only processes outside Python keep the real time (Chromium, PostgreSQL, poppler's
pdfsig), and nothing in the portal asks them for the date.

Without TEST_NOW nothing is changed: the suite runs on the wall clock.
"""

import datetime
import os
import sys
import time

MOMENT = "TEST_NOW"
OFFSET = "TEST_NOW_OFFSET"


def offset_seconds() -> float | None:
    """Seconds between the pinned clock and the real one; None when no moment is asked for. The
    first process to ask (the pytest controller) fixes the offset for every process it starts."""
    if os.environ.get(OFFSET):
        return float(os.environ[OFFSET])
    moment = os.environ.get(MOMENT, "").strip()
    if not moment:
        return None
    parsed = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{MOMENT}={moment!r} needs a time zone, e.g. 2026-12-05T23:30:00Z")
    offset = parsed.timestamp() - time.time()
    os.environ[OFFSET] = repr(offset)
    return offset


def start() -> object | None:
    """Move this process's clock by the offset; the traveller, or None when there is none."""
    offset = offset_seconds()
    if offset is None:
        return None
    import time_machine

    traveller = time_machine.travel(time.time() + offset, tick=True)
    traveller.start()
    return traveller


def celery_command() -> list[str]:
    """How tests start a Celery worker: through this module when the clock is moved."""
    if offset_seconds() is None:
        return [sys.executable, "-m", "celery"]
    return [sys.executable, "-m", "tests.timetravel"]


if __name__ == "__main__":
    # `python -m tests.timetravel -A ladokportal worker …`: a Celery worker on the moved clock.
    start()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    main()
