"""`/health` (liveness) and `/health/ready` (readiness), GET and HEAD, no auth."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timezone

from flask import Blueprint, current_app, request
from rq import Worker
from sqlalchemy import text

from app.extensions import db
from app.ops.database import database_revision, schema_problem
from app.version import code_version, package_version
from jobs import redis_connection

bp = Blueprint("health", __name__)
_executor = ThreadPoolExecutor(max_workers=6, thread_name_prefix="readiness")


def short_error(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (text_[0] if text_ else type(exc).__name__)[:200]


def timed(check, timeout: float) -> dict:
    """Run one check in a worker thread so a hanging dependency cannot stall readiness."""
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            started = time.perf_counter()
            result = check()
            result.setdefault("latency_ms", round((time.perf_counter() - started) * 1000, 1))
            return result

    future = _executor.submit(run)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        return {"status": "down", "error": f"timed out after {timeout:.1f}s"}
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency means "down"
        return {"status": "down", "error": short_error(exc)}


def check_db() -> dict:
    try:
        with db.engine.connect() as conn:
            timeout_ms = int(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"] * 1000)
            conn.execute(text(f"SET statement_timeout = {timeout_ms}"))
            conn.execute(text("SELECT 1"))
        revision = database_revision()
    finally:
        db.session.remove()
    problem = schema_problem(revision)
    if problem:
        return {"status": "down", "error": f"schema out of date: {problem}",
                "details": {"schema": "behind", "revision": revision}}
    return {"status": "up", "details": {"schema": "current", "revision": revision}}


def check_redis() -> dict:
    redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"]).ping()
    return {"status": "up"}


def check_workers() -> dict:
    conn = redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"])
    workers = Worker.all(connection=conn)
    listed = [{"name": w.name, "version": w.version, "state": w.get_state()} for w in workers]
    expected = current_app.config["WORKER_EXPECTED_COUNT"]
    details = {"workers": listed, "expected": expected}
    if not workers:
        return {"status": "down", "error": "no RQ worker is running", "details": details}
    return {"status": "up", "details": details}


def skipped() -> dict:
    return {"status": "up", "details": {"skipped": True}}


def readiness() -> tuple[dict, int]:
    config = current_app.config
    timeout = config["HEALTH_CHECK_TIMEOUT_SECONDS"] + 0.3
    components = {
        "db": timed(check_db, timeout),
        "redis": timed(check_redis, timeout) if config["ENABLE_REDIS_HEALTHCHECK"] else skipped(),
        "worker": timed(check_workers, timeout) if config["ENABLE_WORKER_HEALTHCHECK"] else skipped(),
    }
    if components["db"]["status"] != "up":
        status = "down"
    elif any(c["status"] != "up" for c in components.values()):
        status = "degraded"
    else:
        status = "up"
    strict = request.args.get("strict") in ("1", "true")
    code = 503 if status == "down" or (status == "degraded" and strict) else 200
    body = {"status": status, "components": components,
            "checked_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return body, code


@bp.route("/health", methods=["GET", "HEAD"])
def health():
    return {"status": "up", "service": "pms", "version": package_version(), "commit": code_version(False)}


@bp.route("/health/ready", methods=["GET", "HEAD"])
def health_ready():
    body, code = readiness()
    response = current_app.make_response((body, code))
    response.headers["Cache-Control"] = "no-store"
    return response
