"""Request budgets: a platform's calls per minute per listing, shared by every worker.

A fixed one-minute window counted in Redis; a call that would exceed the
budget waits for the next window instead of being sent.
"""
from __future__ import annotations

import time

from app.queue import redis_connection

WINDOW_SECONDS = 60


def spend(platform_name: str, listing: str, per_minute: int, sleep=time.sleep) -> None:
    """Block until one more call fits into the platform's budget for this listing."""
    client = redis_connection()
    while True:
        window = int(time.time() // WINDOW_SECONDS)
        key = f"fewo:channel-budget:{platform_name}:{listing}:{window}"
        with client.pipeline() as pipe:
            used, _ = pipe.incr(key).expire(key, WINDOW_SECONDS * 2).execute()
        if used <= per_minute:
            return
        sleep(max(0.05, (window + 1) * WINDOW_SECONDS - time.time()))
