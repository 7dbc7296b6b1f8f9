"""The cache backend used with REDIS_URL (settings.CACHES)."""

import re

from django.core.cache.backends.redis import RedisCache

_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


class PrefixedRedisCache(RedisCache):
    """Django's Redis cache, except that clear() removes only the keys under this cache's
    KEY_PREFIX. Django's own clear() empties the whole Redis database, and that database also
    holds Celery's task queue and may hold the keys of another installation or test process
    sharing it under another prefix (CACHE_KEY_PREFIX)."""

    def clear(self) -> bool:
        client = self._cache.get_client(None, write=True)
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.key_prefix) + ":*"
        keys = list(client.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
