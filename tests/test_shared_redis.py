"""With REDIS_URL one Redis database holds the cache and Celery's queue, and may be shared with
other installations, or with the other pytest-xdist workers of this run: each keeps to its own
cache key prefix and its own queue (CACHE_KEY_PREFIX, CELERY_QUEUE; tests/conftest.py gives each
xdist worker both), and clearing the cache removes only its own keys
(ladokportal.cache.PrefixedRedisCache)."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from ladokportal.cache import PrefixedRedisCache
from ladokportal.celery import app as celery_app

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


def test_clearing_the_cache_leaves_other_prefixes_and_the_task_queue_alone():
    default = caches["default"]
    assert isinstance(default, PrefixedRedisCache)
    client = default._cache.get_client(None, write=True)
    outsiders = [f"{default.key_prefix}-elsewhere:1:counter", "a-celery-queue"]
    try:
        for key in outsiders:
            client.set(key, "kept")
        cache.set("counter", 3)
        cache.set("another", 4)

        cache.clear()

        assert (cache.get("counter"), cache.get("another")) == (None, None)
        assert [client.get(key) for key in outsiders] == [b"kept", b"kept"]
    finally:
        client.delete(*outsiders)


@pytest.mark.skipif(not os.environ.get("PYTEST_XDIST_WORKER"), reason="not a pytest-xdist worker")
def test_each_xdist_worker_has_its_own_prefix_and_queue_which_its_celery_workers_inherit():
    worker = os.environ["PYTEST_XDIST_WORKER"]
    assert caches["default"].key_prefix.endswith(f"-{worker}")
    assert celery_app.conf.task_default_queue.endswith(f"-{worker}")
    assert celery_app.amqp.default_queue.name == celery_app.conf.task_default_queue
    # tests/worker.py starts real workers with this process's environment.
    assert os.environ["CACHE_KEY_PREFIX"] == caches["default"].key_prefix
    assert os.environ["CELERY_QUEUE"] == celery_app.conf.task_default_queue
