"""Fewo PMS: property management with a built-in channel manager.

`create_app()` is the only entry point; nothing heavy happens at import time.
"""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import RENAMED_SETTINGS, load_config

log = logging.getLogger("app")


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.update(load_config())
    app.config.update(config or {})
    check_required_config(app)

    from app.logging_setup import configure_logging
    configure_logging(app)
    log_deprecated_settings(app)
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops > 0:  # without a proxy in front, X-Forwarded-* come from the client: never trusted
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    init_extensions(app)
    from app.modules import register_modules
    from app.web.api import register_openapi
    register_modules(app)
    register_openapi(app)

    from app.cli import register_cli
    from app.web.assets import register_static_files
    from app.web.error_pages import register_error_handlers
    from app.web.pages import register_page_helpers
    register_cli(app)
    register_error_handlers(app)
    register_page_helpers(app)
    register_static_files(app)

    if app.config.get("DB_STARTUP_CHECK", True):
        from app.ops.database import init_database_monitor
        init_database_monitor(app)
    return app


def log_deprecated_settings(app: Flask) -> None:
    for old in app.config.get("DEPRECATED_SETTINGS", ()):
        log.warning("Setting %s is deprecated; use %s instead (the old name still works for now)", old,
                    RENAMED_SETTINGS[old])


def check_required_config(app: Flask) -> None:
    missing = [key for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not app.config.get(key)]
    if missing:
        raise RuntimeError(
            f"Missing configuration: {', '.join(missing)}. Set them in the environment "
            "(see .env.example) or start the system with `python3 dev.py up`.")


def engine_options(app: Flask) -> dict:
    timeouts = (f"-c statement_timeout={app.config['DB_STATEMENT_TIMEOUT_MS']} "
                f"-c lock_timeout={app.config['DB_LOCK_TIMEOUT_MS']}")
    return {  # no pre-ping (a round trip per checkout): `discard_closed_connections` checks the socket instead
        "pool_timeout": 5,
        "connect_args": {"connect_timeout": app.config["DB_CONNECT_TIMEOUT_SECONDS"], "options": timeouts},
    }


def limiter_storage_uri(redis_url: str) -> str:
    return "redis+unix://" + redis_url[len("unix://"):] if redis_url.startswith("unix://") else redis_url


def init_extensions(app: Flask) -> None:
    from flask_cors import CORS

    from app.auth.service import load_session_user
    from app.db import discard_closed_connections
    from app.extensions import compress, csrf, db, limiter, login_manager, migrate
    from app.ops.database import MIGRATIONS_DIR
    from app.core.errors import LenientUuidConverter

    app.url_map.converters["uuid"] = LenientUuidConverter
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app))
    app.config.setdefault("RATELIMIT_STORAGE_URI", limiter_storage_uri(app.config["REDIS_URL"]))
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis down must not lock everyone out
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    db.init_app(app)
    with app.app_context():
        discard_closed_connections(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    if app.config["ALLOWED_ORIGINS"]:
        CORS(app, resources={r"/api/*": {"origins": app.config["ALLOWED_ORIGINS"]}}, supports_credentials=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    import_models()


def import_models() -> None:
    """Import every domain's models so Alembic and SQLAlchemy see all tables."""
    import app.auth.models  # noqa: F401
    import app.channels.models  # noqa: F401
    import app.direct.models  # noqa: F401
    import app.guests.models  # noqa: F401
    import app.inventory.models  # noqa: F401
    import app.mail.models  # noqa: F401
    import app.pricing.models  # noqa: F401
    import app.public.models  # noqa: F401
    import app.web.models  # noqa: F401
