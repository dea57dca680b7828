"""`/health` (liveness) and `/health/ready` (readiness), GET and HEAD, no auth.

Anonymous readiness answers the status and each component's status only; the details
(worker host names and versions, queues, errors, schema revision) are for platform
operators and for callers presenting `HEALTH_DETAILS_TOKEN` in the `X-Health-Token` header.
"""
from __future__ import annotations

import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timezone
from functools import partial

from flask import Blueprint, current_app, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.ops.database import database_revision, schema_problem
from app.ops.queues import oldest_queued_age, queue_stats, worker_problem, worker_rows
from app.queue import redis_connection
from app.version import code_version, package_version

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)
DETAILS_TOKEN_HEADER = "X-Health-Token"
_executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readiness")


def short_error(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (text_[0] if text_ else type(exc).__name__)[:200]


def run_checks(checks: dict, timeout: float) -> dict:
    """Run the checks in parallel threads; each answers within `timeout` or counts as down,
    so a hanging dependency cannot stall readiness."""
    app = current_app._get_current_object()

    def run(check):
        with app.app_context():
            started = time.perf_counter()
            result = check()
            result.setdefault("latency_ms", round((time.perf_counter() - started) * 1000, 1))
            return result

    futures = {name: _executor.submit(run, check) for name, check in checks.items()}
    deadline = time.monotonic() + timeout
    results = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            results[name] = {"status": "down", "error": f"timed out after {timeout:.1f}s"}
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency means "down"
            results[name] = {"status": "down", "error": short_error(exc)}
    return results


def check_db(with_stale_connections: bool = False) -> dict:
    stale = None
    try:
        with db.engine.connect() as conn:
            timeout_ms = int(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"] * 1000)
            conn.execute(text(f"SET statement_timeout = {timeout_ms}"))
            conn.execute(text("SELECT 1"))
            if with_stale_connections:
                stale = stale_connections(conn)
        revision = database_revision()
    finally:
        db.session.remove()
    problem = schema_problem(revision)
    if problem:
        return {"status": "down", "error": f"schema out of date: {problem}",
                "details": {"schema": "behind", "revision": revision}}
    details = {"schema": "current", "revision": revision}
    if stale is not None:
        details["stale_connections"] = stale
    return {"status": "up", "details": details}


def stale_connections(conn) -> dict:
    """Stale channel connections (spec 30 freshness) for the details; their failure never
    turns the database down."""
    from app.channels.service import stale_connection_summary
    try:
        with conn.begin_nested():
            return stale_connection_summary(conn)
    except SQLAlchemyError as exc:
        return {"error": short_error(exc)}


def check_redis() -> dict:
    redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"]).ping()
    return {"status": "up"}


def check_workers() -> dict:
    """Alive workers and their versions, queue depth; down when none, too many or skewed."""
    conn = redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"])
    workers = worker_rows(conn)
    queues = queue_stats(conn)
    expected = current_app.config["WORKER_EXPECTED_COUNT"]
    web_version = code_version()
    details = {"workers": workers, "expected": expected, "web_version": web_version,
               "queued": sum(q["queued"] for q in queues.values()),
               "oldest_queued_age_seconds": oldest_queued_age(queues), "queues": queues}
    problem = worker_problem(workers, expected, web_version)
    if problem:
        return {"status": "down", "error": problem, "details": details}
    return {"status": "up", "details": details}


def skipped() -> dict:
    return {"status": "up", "details": {"skipped": True}}


def liveness() -> dict:
    return {"status": "up", "service": "pms", "version": package_version(), "commit": code_version(False)}


def readiness(strict: bool = False, details: bool = True) -> tuple[dict, int]:
    """The readiness body and its HTTP status (spec 50: down 503; degraded 200, strict 503).

    Without `details` each component carries its status only."""
    config = current_app.config
    checks = {"db": partial(check_db, details and config["CHANNELS_ENABLED"])}
    if config["ENABLE_REDIS_HEALTHCHECK"]:
        checks["redis"] = check_redis
    if config["ENABLE_WORKER_HEALTHCHECK"]:
        checks["worker"] = check_workers
    results = run_checks(checks, config["HEALTH_CHECK_TIMEOUT_SECONDS"] + 0.3)
    components = {name: results.get(name) or skipped() for name in ("db", "redis", "worker")}
    if components["db"]["status"] != "up":
        status = "down"
    elif any(c["status"] != "up" for c in components.values()):
        status = "degraded"
    else:
        status = "up"
    code = 503 if status == "down" or (status == "degraded" and strict) else 200
    if not details:
        components = {name: {"status": c["status"]} for name, c in components.items()}
    body = {"status": status, "components": components,
            "checked_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return body, code


def is_strict() -> bool:
    return request.args.get("strict", "").lower() in ("1", "true", "yes", "on")


@bp.route("/health", methods=["GET", "HEAD"])
def health():
    return liveness()


def caller_is_operator() -> bool:
    """A signed-in platform operator; never an error (the database may be the thing that is down)."""
    from app.web.auth import is_operator
    try:
        return is_operator()
    except Exception:  # noqa: BLE001 - an expired token or an unreachable database just means "no details"
        log.debug("Readiness caller not resolved", exc_info=True)
        return False


def may_see_details() -> bool:
    token = current_app.config.get("HEALTH_DETAILS_TOKEN") or ""
    presented = request.headers.get(DETAILS_TOKEN_HEADER, "")
    if token and presented and secrets.compare_digest(token.encode(), presented.encode()):
        return True
    return caller_is_operator()


@bp.route("/health/ready", methods=["GET", "HEAD"])
def health_ready():
    body, code = readiness(is_strict(), details=may_see_details())
    response = current_app.make_response((body, code))
    response.headers["Cache-Control"] = "no-store"
    return response
