"""Drill: schemathesis fuzzes every JSON endpoint from the app's own /openapi.json with a signed-in
admin's bearer token. No input may produce a 5xx; answers with a documented status must match
the documented schema.

Examples per operation: DRILL_FUZZ_EXAMPLES (default 15). A long run:
    DRILL_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/drills/test_fuzz_api.py
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("DRILL_FUZZ_EXAMPLES", "15"))
# Revoking the token would leave the rest of an operation's examples unauthenticated.
SKIPPED = {("DELETE", "/api/v1/auth/token")}


@pytest.fixture
def fuzz_headers(make_user, make_property, bearer):
    """An admin of an agency that owns a property (so list and availability calls find data).

    Answers are asked for uncompressed: schemathesis's WSGI transport advertises zstd and brotli
    (requests' defaults) but reads the body as it comes (compression has tests of its own)."""
    user = make_user("admin")
    make_property(user.agency)
    return {**bearer(user), "Accept-Encoding": "identity"}


def is_json_endpoint(path: str) -> bool:
    """The JSON API, health and rq-dashboard's JSON data (not its HTML pages or static files)."""
    return path.startswith(("/api/", "/health")) or "/data/" in path


def fuzz_operation(operation, headers: dict, tally: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
        tally["requests"] += 1
        tally["server_errors"] += response.status_code >= 500
    run()


@pytest.mark.slow
def test_no_server_error_and_documented_answers(app, fuzz_headers, figures):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    tally = {"operations": 0, "requests": 0, "server_errors": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED or not is_json_endpoint(operation.path):
            continue
        tally["operations"] += 1
        fuzz_operation(operation, fuzz_headers, tally)
    figures.record("fuzzing", examples_per_operation=EXAMPLES, **tally)
    assert tally["operations"] >= 20 and tally["server_errors"] == 0
