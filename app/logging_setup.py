"""Structured logging: key=value lines, one per request, secrets masked."""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request

SECRET_PATTERNS = (
    (re.compile(r"(\w+://[^:/@\s]*:)[^@\s]+@"), r"\1***@"),  # scheme://user:password@host
    (re.compile(r"(?i)(password|secret|token|api_key)=([^\s&]+)"), r"\1=***"),
    (re.compile(r"(/invitations/)[^\s/?]+"), r"\1***"),  # a team invitation's one-time link
    (re.compile(r"/ical/[^/\s]+\.ics"), "/ical/***.ics"),  # the export feed's token is its credential
)
# An incoming X-Request-ID is kept only when it cannot forge or break a log line.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def mask_secrets(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def configure_logging(app: Flask) -> None:
    root = logging.getLogger()
    if not any(isinstance(h.formatter, MaskingFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(MaskingFormatter(
            "%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"))
        root.addHandler(handler)
        root.setLevel(app.config["LOG_LEVEL"])
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    request_log = logging.getLogger("app.request")

    @app.before_request
    def start_timer():
        g.request_started, g.request_cpu_started = time.perf_counter(), time.thread_time()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        duration_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        response.headers["X-Request-ID"] = g.get("request_id", "")
        # The request's own time and its thread's CPU time (without waiting for the database or for a core).
        cpu_ms = (time.thread_time() - g.get("request_cpu_started", time.thread_time())) * 1000
        response.headers["Server-Timing"] = f"app;dur={duration_ms:.1f}, cpu;dur={cpu_ms:.1f}"
        request_log.info("method=%s path=%s status=%s duration_ms=%.1f request_id=%s",
                         request.method, request.path, response.status_code, duration_ms, g.get("request_id"))
        return response
