"""Structured logs: one line per request with method, path, status, duration, request id;
secrets masked."""
from __future__ import annotations

import logging
import re

from app.logging_setup import MaskingFormatter


def request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "app.request"]


def test_one_line_per_request_with_its_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="app.request")
    response = client.get("/health?token=abc", headers={"X-Request-ID": "deploy-check.42"})
    lines = request_lines(caplog)
    assert len(lines) == 1 and response.headers["X-Request-ID"] == "deploy-check.42"
    assert re.fullmatch(r"method=GET path=/health status=200 duration_ms=\d+\.\d request_id=deploy-check\.42",
                        lines[0])


def test_a_forged_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="app.request")
    response = client.get("/health", headers={"X-Request-ID": "x status=500 injected"})
    generated = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated) and request_lines(caplog)[0].endswith(generated)


def test_formatter_masks_urls_and_dsn_passwords():
    formatter = MaskingFormatter("%(message)s")
    record = logging.LogRecord("app", logging.INFO, __file__, 1,
                               "redis %s db %s dsn %s", ("redis://:s3cr3t@cache:6379/0",
                                                         "postgresql://fewo:pa55@db:5432/fewo",
                                                         "host=db password=pa55 user=fewo"), None)
    line = formatter.format(record)
    assert line == ("redis redis://:***@cache:6379/0 db postgresql://fewo:***@db:5432/fewo "
                    "dsn host=db password=*** user=fewo")


def test_invitation_links_are_masked():
    formatter = MaskingFormatter("%(message)s")
    record = logging.LogRecord("app.request", logging.INFO, __file__, 1, "method=%s path=%s status=%s",
                               ("GET", "/invitations/j0DjmeFiqKznsVff-BpIDw", 200), None)
    assert formatter.format(record) == "method=GET path=/invitations/*** status=200"
