"""The worker's time limits fit the broker and the lease (S-CERT-4, docs/performance.md): a task is
stopped (soft limit, then hard limit) before its lease runs out, and its lease runs out before
Redis hands the unacknowledged task to another worker, so no live render is taken over. Beat
sweeps for certificates whose task was lost or whose worker died. Read from Celery's own
configuration, which is what the worker and beat use."""

import datetime

from certificates import pipeline
from certificates.tasks import render_certificate, requeue_stalled
from ladokportal.celery import app


def _visibility_timeout() -> int:
    return app.conf.broker_transport_options["visibility_timeout"]


def test_the_soft_limit_comes_before_the_hard_limit():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_the_hard_limit_and_the_lease_end_before_the_broker_hands_the_task_on():
    assert app.conf.task_time_limit < pipeline.lease_seconds() < _visibility_timeout()


def test_the_render_task_carries_the_configured_limits():
    """Celery puts the sending process's limits in each message and the worker applies those:
    web, worker and beat must share CELERY_TASK_SOFT_TIME_LIMIT and CELERY_TASK_TIME_LIMIT."""
    assert (render_certificate.soft_time_limit, render_certificate.time_limit) == (
        app.conf.task_soft_time_limit,
        app.conf.task_time_limit,
    )


def test_beat_sweeps_for_stalled_certificates_every_two_minutes():
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == requeue_stalled.name]
    schedule = entry["schedule"]
    seconds = (
        schedule.total_seconds() if isinstance(schedule, datetime.timedelta) else float(schedule)
    )
    assert seconds == 120
    assert entry["options"]["expires"] <= seconds
    assert entry["task"] in app.tasks


def test_the_lease_follows_the_time_limit_the_message_carries():
    """Celery enforces the hard limit the sender put on the message, not the worker's own
    setting: the lease must outlast the limit that really applies."""
    from types import SimpleNamespace

    from certificates.tasks import _lease

    assert _lease(SimpleNamespace(timelimit=(600, 550))) == 605
    assert _lease(SimpleNamespace(timelimit=(None, None))) == pipeline.lease_seconds()
    assert _lease(SimpleNamespace(timelimit=None)) == pipeline.lease_seconds()
