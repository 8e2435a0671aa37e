"""A cache of drawn pages and fragments, keyed by what they are drawn from.

Keys name a row and its version, so a change makes a new key and nothing has to be cleared:
the old entry simply ages out. In-process by default; shared through Redis when REDIS_URL is set.
"""

from collections.abc import Callable
from typing import Any

from cachelib import BaseCache, RedisCache, SimpleCache
from flask import Flask, current_app

DEFAULT_TIMEOUT_S = 3600


def init_cache(app: Flask) -> None:
    """Give the app its cache: Redis when configured, otherwise this process's memory."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        cache: BaseCache = RedisCache(client, key_prefix="insights:cache:")
    else:
        cache = SimpleCache(threshold=500)
    app.extensions["insights_cache"] = cache


def cached(key: tuple[Any, ...], draw: Callable[[], str], timeout: int = DEFAULT_TIMEOUT_S) -> str:
    """The text cached under `key`, drawn (and kept) when it is not there."""
    cache: BaseCache | None = current_app.extensions.get("insights_cache")
    if cache is None or current_app.config.get("CACHE_DISABLED"):
        return draw()
    name = ":".join(str(part) for part in key)
    found = cache.get(name)
    if isinstance(found, str):
        return found
    text = draw()
    cache.set(name, text, timeout=timeout)
    return text
