"""App factory: module registry, flags, error pages, security headers."""
from __future__ import annotations

import logging

import pytest

from app.modules import MODULES, Module, dependency_order
from tests.conftest import build_config


def test_modules_mount_in_dependency_order(app):
    mounted = app.extensions["modules"]
    for module in MODULES:
        for dependency in module.depends_on:
            assert mounted.index(dependency) < mounted.index(module.name)


def test_dependency_cycle_is_reported():
    cyclic = (Module("a", (), depends_on=("b",)), Module("b", (), depends_on=("a",)))
    with pytest.raises(RuntimeError, match="cycle"):
        dependency_order(cyclic)


def test_kill_switch_mounts_fallback_list(database_url, redis_url, app, caplog):
    from app import create_app

    caplog.set_level(logging.INFO)
    fallback = create_app(build_config(database_url, redis_url, MODULES_ENABLED=False))
    assert fallback.extensions["modules"] == ["health", "auth", "inventory", "dashboard", "pricing", "listing"]  # dependency order
    assert "MODULES_ENABLED=false: mounting fallback modules" in caplog.text


def test_channel_manager_flag_unmounts_channels(database_url, redis_url, app, caplog):
    from app import create_app

    caplog.set_level(logging.INFO)
    without = create_app(build_config(database_url, redis_url, CHANNELS_ENABLED=False))
    assert "channels" not in without.extensions["modules"]
    assert "channels" in app.extensions["modules"]
    assert "Module channels disabled by CHANNELS_ENABLED=false" in caplog.text
    response = without.test_client().get("/api/v1/channel-connections/")
    assert (response.status_code, response.get_json()) == (404, {"detail": "Not Found"})


def test_old_channel_setting_names_still_work_and_are_reported_once(database_url, redis_url, app, caplog,
                                                                    monkeypatch):
    from app import create_app

    monkeypatch.setenv("CHANNEL_MANAGER_ENABLED", "false")
    monkeypatch.setenv("SYNC_LOG_RETENTION_DAYS", "7")
    caplog.set_level(logging.WARNING)
    old = create_app(build_config(database_url, redis_url))
    assert "channels" not in old.extensions["modules"] and old.config["CHANNELS_SYNC_LOG_RETENTION_DAYS"] == 7
    warnings = [record.getMessage() for record in caplog.records if "deprecated" in record.getMessage()]
    assert sorted(warnings) == [
        "Setting CHANNEL_MANAGER_ENABLED is deprecated; use CHANNELS_ENABLED instead (the old name still works for now)",
        "Setting SYNC_LOG_RETENTION_DAYS is deprecated; use CHANNELS_SYNC_LOG_RETENTION_DAYS instead "
        "(the old name still works for now)"]


def test_a_new_channel_setting_name_wins_over_its_old_name():
    from app.config import load_config

    config = load_config({"CHANNEL_MOCK_MODE": "yes", "SYNC_LOG_PURGE_BATCH": "99", "CHANNELS_SYNC_LOG_PURGE_BATCH": "10"})
    assert (config["CHANNELS_MOCK_MODE"], config["CHANNELS_SYNC_LOG_PURGE_BATCH"]) == (True, 10)
    assert config["DEPRECATED_SETTINGS"] == ["CHANNEL_MOCK_MODE", "SYNC_LOG_PURGE_BATCH"]
    assert "CHANNEL_MOCK_MODE" not in config and "CHANNELS_ENABLED" in load_config({})


def test_unknown_routes(client):
    api = client.get("/api/v1/does-not-exist")
    assert (api.status_code, api.get_json()) == (404, {"detail": "Not Found"})
    page = client.get("/does-not-exist")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_session_cookie_flags(client, make_user):
    user = make_user()
    client.refresh_csrf()
    response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery",
                                           "csrf_token": client.csrf_token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_missing_configuration_is_explained():
    from app import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "", "DATABASE_URL": "", "REDIS_URL": ""})


def test_openapi_document_and_docs_page(client):
    document = client.get("/openapi.json").get_json()
    assert "/api/v1/auth/token" in document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/auth/token" in docs.get_data(as_text=True)


def test_cors_only_for_allowed_origins(database_url, redis_url, app, client):
    from app import create_app

    assert "Access-Control-Allow-Origin" not in client.get("/health", headers={"Origin": "https://x.example"}).headers
    allowed = create_app(build_config(database_url, redis_url, ALLOWED_ORIGINS=["https://ok.example"]))
    ok = allowed.test_client().get("/api/v1/auth/token", headers={"Origin": "https://ok.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://ok.example"
    other = allowed.test_client().get("/api/v1/auth/token", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_wsgi_entry_freezes_what_it_loaded(app):
    """The web and worker processes start from `wsgi`: what it loads is frozen out of the garbage
    collector's reach, so full collections stay short (BENCHMARKS.md, occupancy chart)."""
    import subprocess
    import sys

    from tests.live_server import ROOT, server_env

    frozen = subprocess.run([sys.executable, "-c", "import gc, wsgi; print(gc.get_freeze_count())"], cwd=ROOT,
                            env=server_env(app.config), capture_output=True, text=True, timeout=60)
    assert frozen.returncode == 0, frozen.stderr
    assert int(frozen.stdout.split()[-1]) > 10_000
