"""System status for the ops console: both health endpoints probed in-process, the
overall verdict, and the Copy Diagnostics payload (never a secret).

Read-only: calls the same functions that answer `/health` and `/health/ready`.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import current_app

from app.logging_setup import mask_secrets
from app.ops.health import liveness, readiness

# Configuration values that must never leave the server, even inside an error text.
SECRET_CONFIG_KEYS = ("SECRET_KEY", "ENCRYPTION_KEY")
URL_CONFIG_KEYS = ("DATABASE_URL", "REDIS_URL")


@dataclass(frozen=True)
class EndpointProbe:
    path: str
    http_status: int
    duration_ms: float
    checked_at: datetime
    body: dict


@dataclass(frozen=True)
class SystemStatus:
    endpoints: list[EndpointProbe]
    overall: str  # healthy | degraded | down
    failed_checks: list[str] = field(default_factory=list)
    details: bool = True  # workers, versions and queues (platform operators only)

    @property
    def ready(self) -> dict:
        return self.endpoints[1].body


def probe(path: str, call) -> EndpointProbe:
    started = time.perf_counter()
    body, code = call()
    return EndpointProbe(path, code, round((time.perf_counter() - started) * 1000, 1),
                         datetime.now(timezone.utc), body)


def failed_checks(endpoints: list[EndpointProbe]) -> list[str]:
    failed = [f"{e.path} (HTTP {e.http_status}, status: {e.body.get('status')})"
              for e in endpoints if e.http_status != 200 or e.body.get("status") != "up"]
    components = endpoints[1].body.get("components", {})
    failed += [f"{name} component (status: {c['status']})" for name, c in components.items()
               if c.get("status") != "up"]
    return failed


def system_status(details: bool = True) -> SystemStatus:
    """Probe `/health` and `/health/ready` (non-strict) and judge the whole system; without
    `details` readiness shows component statuses only, as it does to anonymous callers."""
    endpoints = [probe("/health", lambda: (liveness(), 200)),
                 probe("/health/ready", lambda: readiness(details=details))]
    ready_status = endpoints[1].body["status"]
    failed = failed_checks(endpoints)
    if not failed:
        overall = "healthy"
    elif ready_status == "degraded" and endpoints[1].http_status == 200:
        overall = "degraded"
    else:
        overall = "down"
    return SystemStatus(endpoints, overall, failed, details)


def secret_values() -> list[str]:
    """Every configured secret, including passwords inside the service URLs."""
    config = current_app.config
    values = [part.strip() for key in SECRET_CONFIG_KEYS for part in (config.get(key) or "").split(",")]
    values += [urlsplit(config.get(key) or "").password or "" for key in URL_CONFIG_KEYS]
    return [v for v in values if len(v) >= 4]


def redact(text: str) -> str:
    text = mask_secrets(text)
    for value in secret_values():
        text = text.replace(value, "***")
    return text


def diagnostics_json(status: SystemStatus, page_url: str, role: str) -> str:
    """The Copy Diagnostics payload: what an issue report needs, redacted."""
    payload = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "url": page_url,
        "user_role": role,
        "overall_status": status.overall,
        "failed_checks": status.failed_checks,
        "endpoints": {e.path: {"http_status": e.http_status, "duration_ms": e.duration_ms,
                               "last_checked_at": e.checked_at.isoformat(timespec="seconds")}
                      for e in status.endpoints},
        "components": {name: c.get("status") for name, c in status.ready.get("components", {}).items()},
        "health": status.endpoints[0].body,
        "health_ready": status.ready,
    }
    return redact(json.dumps(payload, indent=2, default=str))
