"""Jobs run by the RQ worker: the top floor, nothing in `app/` imports it.

Services enqueue jobs by dotted path through `app.queue.enqueue`.
"""
from __future__ import annotations

from app import create_app

_worker_app = None


def set_worker_app(app) -> None:
    """The worker entry point builds the app once and hands it to the jobs."""
    global _worker_app
    _worker_app = app


def app_context():
    """App context for a job: the worker's app, else one built on first use."""
    global _worker_app
    if _worker_app is None:
        _worker_app = create_app({"DB_BACKGROUND_RECONNECT_ENABLED": False})
    return _worker_app.app_context()
