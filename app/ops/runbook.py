"""The ops console runbook: common incidents with symptoms, causes and fix steps."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Incident:
    key: str
    title: str
    symptoms: tuple[str, ...]
    causes: tuple[str, ...]
    fixes: tuple[str, ...]


INCIDENTS = (
    Incident(
        "database-unavailable", "503: Database temporarily unavailable",
        ("API answers 503 {\"error\": \"service_unavailable\"}; pages show \"Database unavailable\"",
         "/health is 200 but /health/ready is 503 with the db component down"),
        ("PostgreSQL stopped, restarting or not reachable (DNS, network attachment, firewall)",
         "Wrong DATABASE_URL after a deploy"),
        ("Check /health/ready: the db component's error names the failure",
         "Verify the database runs and the web container resolves and reaches its host",
         "No restart needed: the app heals by itself and logs \"App is now in NORMAL MODE (DB available)\""),
    ),
    Incident(
        "worker-down", "Worker or Redis down",
        ("Sync logs stay \"triggered\" or \"queued\"; queue lengths grow",
         "/health/ready is degraded: redis or worker component down (503 with ?strict=1)"),
        ("No RQ worker running, or it cannot reach Redis",
         "More workers than WORKER_EXPECTED_COUNT, or a worker on another code version (version skew)"),
        ("Read the worker component's error: it names the workers and their versions",
         "Start the worker (flask worker / scripts/start_worker.sh) or stop the extra or old one",
         "Check the worker log for the Wait-for-Deps preflight and the RQ startup lines",
         "Redeploy web and worker from the same commit; verify with scripts/verify_deploy.sh"),
    ),
    Incident(
        "session-expired", "401: Session or token expired",
        ("Banner \"Session expired. Please reload and log in again.\"; scripts get 401",),
        ("The browser session was logged out or the password changed",
         "The API token passed API_TOKEN_TTL_SECONDS"),
        ("Reload the page and log in again", "Scripts: request a new token from POST /api/v1/auth/token"),
    ),
    Incident(
        "validation", "422: Validation errors (no sync log created)",
        ("The form or API answers 422 with field messages; no sync log appears",),
        ("A missing or invalid field: sync type, platform, property, dates or a malformed id",),
        ("Read the field messages (detail[].loc and msg) and correct the input",
         "A 422 never writes anything: simply retry with valid input"),
    ),
    Incident(
        "overbooking", "409: Overbooking conflict",
        ("Creating a booking or block answers 409 with conflict_type inventory_overlap",),
        ("The dates overlap an existing booking, block or channel hold of the property",),
        ("Open the property's calendar and pick free dates, or cancel the conflicting booking first",
         "Never bypass: the database exclusion constraints reject every double booking"),
    ),
    Incident(
        "database-busy", "503: Database busy (lock or statement timeout)",
        ("API answers 503 {\"error\": \"database_busy\"} with a Retry-After header",),
        ("A request waited longer than DB_LOCK_TIMEOUT_MS for a lock, or ran longer than DB_STATEMENT_TIMEOUT_MS",
         "A long migration, a manual transaction left open, or a slow query holds the rows"),
        ("Retry after the Retry-After seconds: nothing was written",
         "If it persists, look for long transactions in pg_stat_activity and end them"),
    ),
    Incident(
        "schema-out-of-date", "503: Database schema out of date",
        ("API answers 503 {\"error\": \"schema_out_of_date\"}",
         "/health/ready: db component down with \"schema out of date\""),
        ("A deploy shipped code whose migrations were not applied",),
        ("Run: flask --app wsgi db upgrade", "Then check /health/ready shows schema \"current\""),
    ),
)


def troubleshooting_template(role: str, timestamp: str) -> str:
    """A blank issue report; it asks for diagnostics, never for secrets."""
    return "\n".join((
        "## Fewo PMS issue report",
        "What I was doing:",
        "Expected behaviour:",
        "Actual behaviour (error text, HTTP status):",
        "Page URL:",
        f"Time: {timestamp}",
        f"User role: {role}",
        "Browser:",
        "Diagnostics (Ops console > Status > Copy Diagnostics):",
        "Last sync log / batch ids (if any):",
        "(Do not paste passwords, tokens or connection strings.)",
    ))
