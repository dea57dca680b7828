"""The SQL the service layer really runs: captured from SQLAlchemy, replayed bare or EXPLAINed."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import event

from bench.stack import Stack


@contextmanager
def capturing(engine):
    """Collect (statement, parameters) of everything the engine executes inside the block."""
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def service_statements(stack: Stack, call: Callable[[], object]) -> list[tuple[str, object]]:
    """Run a service call in an app context (rolled back) and return the SQL it executed."""
    from app.extensions import db

    with stack.app.app_context():
        with capturing(db.engine) as statements:
            call()
        db.session.rollback()
    return statements


def explain(stack: Stack, statement: str, parameters) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one captured statement, run in a rolled-back transaction."""
    with stack.connect() as conn:
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).fetchall()
        conn.rollback()
    return "\n".join(row[0] for row in rows)
