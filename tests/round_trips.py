"""Round trips a block of code sends to the database, counted with SQLAlchemy's engine events.

Counted are the statements, COMMITs and ROLLBACKs. Not counted is the BEGIN psycopg sends before a
transaction's first statement (the benchmarks' baselines have it too).
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def round_trips(app):
    """The statements and transaction ends sent while the block runs, in order."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    sent: list[str] = []
    listeners = {
        "before_cursor_execute": lambda _conn, _cursor, statement, *_rest: sent.append(statement),
        "commit": lambda _conn: sent.append("COMMIT"),
        "rollback": lambda _conn: sent.append("ROLLBACK"),
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        yield sent
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)
