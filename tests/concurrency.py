"""Running two acts at the same moment, each in its own thread and database connection,
released together by a barrier (PostgreSQL concurrency tests of registration and results)."""

import threading
import time
from collections.abc import Callable

from django_scopes import scopes_disabled

REPETITIONS = 6


def head_start(repetition: int) -> tuple[float, float]:
    """Seconds each of two actions waits after the barrier: together, first ahead, second
    ahead, in turn, so that both orders are seen besides the true race."""
    return ((0.0, 0.0), (0.0, 0.05), (0.05, 0.0))[repetition % 3]


def run_together(*actions: Callable[[], object], delays: tuple[float, ...] = ()) -> list[object]:
    """Each action's result, or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)
    delays = delays or (0.0,) * len(actions)

    def body(index: int, action: Callable[[], object]) -> None:
        from django.db import connection

        try:
            with scopes_disabled():
                connection.ensure_connection()  # connect first, so the actions start together
                barrier.wait(timeout=10)
                time.sleep(delays[index])
                outcomes[index] = action()
        except Exception as exc:  # the outcome, result or refusal, is what the test asserts on
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=body, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return outcomes
