"""Configuration read from the environment (12-factor).

Every variable is listed with its default and meaning in `.env.example`.
Secrets have no default here; `TestConfig`-style overrides are passed to
`create_app(config)` by the test suite.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """Accept 1/true/yes/on (any case) as true; anything else set is false."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in TRUE_WORDS


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw not in (None, "") else default


def env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    return float(raw) if raw not in (None, "") else default


def env_int_list(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(name)
    return tuple(int(part) for part in raw.split(",") if part.strip()) if raw else default


# Per-platform channel API settings (spec 30, adapters); empty = not configured.
CHANNEL_PLATFORM_SETTINGS = (
    "AIRBNB_API_BASE", "AIRBNB_API_KEY", "AIRBNB_API_SECRET",
    "BOOKING_COM_API_BASE", "BOOKING_COM_API_KEY", "BOOKING_COM_SECRET", "BOOKING_COM_HOTEL_ID",
    "EXPEDIA_API_BASE", "EXPEDIA_API_KEY", "EXPEDIA_API_SECRET", "EXPEDIA_PARTNER_ID",
    "FEWO_DIREKT_API_BASE", "FEWO_DIREKT_API_KEY", "FEWO_DIREKT_SECRET",
    "GOOGLE_HOTELS_API_BASE", "GOOGLE_HOTELS_API_KEY", "GOOGLE_HOTELS_PARTNER_ID",
)


# Channel-manager settings by their old names -> the CHANNELS_ names. An old name still works when the
# new one is not set; startup logs one deprecation line for each old name in use.
RENAMED_SETTINGS = {
    "CHANNEL_MANAGER_ENABLED": "CHANNELS_ENABLED",
    "CHANNEL_MOCK_MODE": "CHANNELS_MOCK_MODE",
    "SYNC_LOG_STALE_MINUTES": "CHANNELS_SYNC_LOG_STALE_MINUTES",
    "SYNC_LOG_RETENTION_DAYS": "CHANNELS_SYNC_LOG_RETENTION_DAYS",
    "SYNC_LOG_PURGE_BATCH": "CHANNELS_SYNC_LOG_PURGE_BATCH",
    "SYNC_STALE_CONNECTION_HOURS": "CHANNELS_STALE_CONNECTION_HOURS",
    "SYNC_REAP_GRACE_SECONDS": "CHANNELS_SYNC_REAP_GRACE_SECONDS",
}


def is_set(env: Mapping[str, str], name: str) -> bool:
    return (env.get(name) or "").strip() != ""


def with_renamed_settings(env: Mapping[str, str]) -> tuple[dict, list[str]]:
    """The environment with each old name read as its new one (a set new name wins), and the old names in use."""
    merged, used = dict(env), []
    for old, new in RENAMED_SETTINGS.items():
        if is_set(env, old):
            used.append(old)
            if not is_set(env, new):
                merged[new] = env[old]
    return merged, used


def env_list(env: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def channel_config(env: Mapping[str, str]) -> dict:
    """Channel manager settings: sync engine, retention and the platform APIs."""
    return {
        "CHANNELS_RETRY_BASE_SECONDS": env_float(env, "CHANNELS_RETRY_BASE_SECONDS", 1.0),
        "CHANNELS_MAX_RETRIES": env_int(env, "CHANNELS_MAX_RETRIES", 3),
        "CHANNELS_RETRY_JITTER": env_float(env, "CHANNELS_RETRY_JITTER", 0.2),
        "CHANNELS_RETRY_AFTER_MAX_SECONDS": env_float(env, "CHANNELS_RETRY_AFTER_MAX_SECONDS", 60),
        "CHANNELS_HTTP_CONNECT_TIMEOUT_SECONDS": env_float(env, "CHANNELS_HTTP_CONNECT_TIMEOUT_SECONDS", 3.05),
        "CHANNELS_HTTP_READ_TIMEOUT_SECONDS": env_float(env, "CHANNELS_HTTP_READ_TIMEOUT_SECONDS", 10),
        # Total time for one channel call (connect, redirects, whole body), and the body's byte cap.
        "CHANNELS_HTTP_TOTAL_TIMEOUT_SECONDS": env_float(env, "CHANNELS_HTTP_TOTAL_TIMEOUT_SECONDS", 30),
        "CHANNELS_MAX_FEED_BYTES": env_int(env, "CHANNELS_MAX_FEED_BYTES", 5 * 1024 * 1024),
        # Exact host names or CIDRs the outbound-URL guard lets through although private.
        "CHANNELS_ALLOWED_PRIVATE_HOSTS": env_list(env, "CHANNELS_ALLOWED_PRIVATE_HOSTS"),
        "CHANNELS_MOCK_DELAY_SECONDS": env_float(env, "CHANNELS_MOCK_DELAY_SECONDS", 0.3),
        "CHANNELS_LOCK_WAIT_SECONDS": env_float(env, "CHANNELS_LOCK_WAIT_SECONDS", 30),
        "CHANNELS_SYNC_WINDOW_DAYS": env_int(env, "CHANNELS_SYNC_WINDOW_DAYS", 90),
        "CHANNELS_DISABLED_PLATFORMS": env_list(env, "CHANNELS_DISABLED_PLATFORMS"),
        "CHANNELS_SYNC_LOG_STALE_MINUTES": env_int(env, "CHANNELS_SYNC_LOG_STALE_MINUTES", 60),
        # Sync triggers per connection (API), flask-limiter notation.
        "CHANNELS_TRIGGER_RATE_LIMIT": env.get("CHANNELS_TRIGGER_RATE_LIMIT", "30 per minute"),
        "CHANNELS_SYNC_LOG_RETENTION_DAYS": env_int(env, "CHANNELS_SYNC_LOG_RETENTION_DAYS", 90),
        "CHANNELS_SYNC_LOG_PURGE_BATCH": env_int(env, "CHANNELS_SYNC_LOG_PURGE_BATCH", 5000),
        "CHANNELS_STALE_CONNECTION_HOURS": env_int(env, "CHANNELS_STALE_CONNECTION_HOURS", 24),
        **{name: env.get(name, "") for name in CHANNEL_PLATFORM_SETTINGS},
    }


def channel_ui_config(env: Mapping[str, str]) -> dict:
    """Back office polling intervals of the channel manager panels, seconds."""
    return {
        "CHANNELS_LOGS_POLL_SECONDS": env_int(env, "CHANNELS_LOGS_POLL_SECONDS", 10),
        "CHANNELS_LOGS_ACTIVE_POLL_SECONDS": env_int(env, "CHANNELS_LOGS_ACTIVE_POLL_SECONDS", 3),
        "CHANNELS_BATCH_POLL_SECONDS": env_int(env, "CHANNELS_BATCH_POLL_SECONDS", 3),
        "CHANNELS_SYNC_PAGE_POLL_SECONDS": env_int(env, "CHANNELS_SYNC_PAGE_POLL_SECONDS", 5),
    }


def public_site_config(env: Mapping[str, str]) -> dict:
    """The agencies' public websites (spec 85): which hosts exist and who answers them."""
    return {
        "PUBLIC_SITE_ENABLED": env_bool(env, "PUBLIC_SITE_ENABLED", True),
        # Flask rejects any other Host header with 400 before routing; unset = no host check.
        "TRUSTED_HOSTS": env_list(env, "TRUSTED_HOSTS") or None,
        # Hosts of the back office and the private API; every other host is an agency's website.
        "BACKOFFICE_HOSTS": env_list(env, "BACKOFFICE_HOSTS") or ["localhost", "127.0.0.1"],
        "PUBLIC_HOST_CACHE_SECONDS": env_float(env, "PUBLIC_HOST_CACHE_SECONDS", 60),
        # Per caller IP, flask-limiter notation: every public API call, and price quotes on top.
        "PUBLIC_API_RATE_LIMIT": env.get("PUBLIC_API_RATE_LIMIT", "120 per minute"),
        "PUBLIC_QUOTE_RATE_LIMIT": env.get("PUBLIC_QUOTE_RATE_LIMIT", "30 per minute"),
        # Booking requests from the website (form and public API together), per caller IP.
        "PUBLIC_BOOKING_RATE_LIMIT": env.get("PUBLIC_BOOKING_RATE_LIMIT", "5 per hour"),
        # An instant booking left unconfirmed this long is declined and its dates are free again.
        "DIRECT_BOOKING_PENDING_HOURS": env_int(env, "DIRECT_BOOKING_PENDING_HOURS", 48),
    }


def sqlalchemy_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(env: Mapping[str, str] | None = None) -> dict:
    env, deprecated = with_renamed_settings(os.environ if env is None else env)
    app_env = env.get("APP_ENV", "production")
    database_url = env.get("DATABASE_URL", "")
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        "ENCRYPTION_KEY": env.get("ENCRYPTION_KEY", ""),
        "SOURCE_COMMIT": env.get("SOURCE_COMMIT") or None,
        "DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url),
        "REDIS_URL": env.get("REDIS_URL", ""),
        "DEPRECATED_SETTINGS": deprecated,
        "MODULES_ENABLED": env_bool(env, "MODULES_ENABLED", True),
        "CHANNELS_ENABLED": env_bool(env, "CHANNELS_ENABLED", True),
        "CHANNELS_MOCK_MODE": env_bool(env, "CHANNELS_MOCK_MODE", False),
        **public_site_config(env),
        "ENABLE_OPS_CONSOLE": env_bool(env, "ENABLE_OPS_CONSOLE", False),
        "ENABLE_REDIS_HEALTHCHECK": env_bool(env, "ENABLE_REDIS_HEALTHCHECK", True),
        "ENABLE_WORKER_HEALTHCHECK": env_bool(env, "ENABLE_WORKER_HEALTHCHECK", True),
        "TRUSTED_PROXY_HOPS": env_int(env, "TRUSTED_PROXY_HOPS", 0),
        "WORKER_EXPECTED_COUNT": env_int(env, "WORKER_EXPECTED_COUNT", 1),
        "HEALTH_CHECK_TIMEOUT_SECONDS": env_float(env, "HEALTH_CHECK_TIMEOUT_SECONDS", 1.5),
        # Shows readiness details (workers, versions, queues) to callers sending it as X-Health-Token.
        "HEALTH_DETAILS_TOKEN": env.get("HEALTH_DETAILS_TOKEN", ""),
        "WORKER_JOB_TIMEOUT": env_int(env, "WORKER_JOB_TIMEOUT", 300),
        "WORKER_HEARTBEAT_SECONDS": env_int(env, "WORKER_HEARTBEAT_SECONDS", 30),
        "CHANNELS_SYNC_REAP_GRACE_SECONDS": env_int(env, "CHANNELS_SYNC_REAP_GRACE_SECONDS", 30),
        "WORKER_WAIT_FOR_DEPS": env_bool(env, "WORKER_WAIT_FOR_DEPS", True),
        "WORKER_WAIT_INTERVAL": env_float(env, "WORKER_WAIT_INTERVAL", 2),
        "WORKER_WAIT_TIMEOUT": env_float(env, "WORKER_WAIT_TIMEOUT", 60),
        "CHANNELS_SCHEDULED_SYNC_ENABLED": env_bool(env, "CHANNELS_SCHEDULED_SYNC_ENABLED", False),
        "CHANNELS_SCHEDULED_SYNC_MINUTES": env_int(env, "CHANNELS_SCHEDULED_SYNC_MINUTES", 15),
        "DB_STARTUP_MAX_WAIT_SECONDS": env_float(env, "DB_STARTUP_MAX_WAIT_SECONDS", 60),
        "DB_STARTUP_RETRY_INTERVAL_SECONDS": env_float(env, "DB_STARTUP_RETRY_INTERVAL_SECONDS", 2),
        "DB_BACKGROUND_RECONNECT_ENABLED": env_bool(env, "DB_BACKGROUND_RECONNECT_ENABLED", True),
        "DB_BACKGROUND_RECONNECT_INTERVAL_SECONDS": env_float(
            env, "DB_BACKGROUND_RECONNECT_INTERVAL_SECONDS", 30),
        "DB_STATEMENT_TIMEOUT_MS": env_int(env, "DB_STATEMENT_TIMEOUT_MS", 5000),
        "DB_LOCK_TIMEOUT_MS": env_int(env, "DB_LOCK_TIMEOUT_MS", 2000),
        "DB_CONNECT_TIMEOUT_SECONDS": env_int(env, "DB_CONNECT_TIMEOUT_SECONDS", 2),
        "API_TOKEN_TTL_SECONDS": env_int(env, "API_TOKEN_TTL_SECONDS", 3600),
        "INVITATION_TTL_HOURS": env_int(env, "INVITATION_TTL_HOURS", 168),
        "SMTP_URL": env.get("SMTP_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Fewo PMS <no-reply@localhost>"),
        "MAIL_SMTP_TIMEOUT_SECONDS": env_float(env, "MAIL_SMTP_TIMEOUT_SECONDS", 10),
        "MAIL_RETRY_INTERVALS": env_int_list(env, "MAIL_RETRY_INTERVALS", (30, 120, 600, 1800)),
        "AUTH_RATE_LIMIT": env.get("AUTH_RATE_LIMIT", "10 per minute"),
        # Failed logins per account (whatever the caller's IP; also for unknown accounts).
        "AUTH_ACCOUNT_RATE_LIMIT": env.get("AUTH_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"),
        "SESSION_COOKIE_SECURE": env_bool(env, "SESSION_COOKIE_SECURE", app_env != "development"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "ALLOWED_ORIGINS": [o.strip() for o in env.get("ALLOWED_ORIGINS", "").split(",") if o.strip()],
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # Larger request bodies answer 413 before anything reads them.
        "MAX_CONTENT_LENGTH": env_int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        # Property photos: stored under MEDIA_ROOT (relative: below the project folder), served at /media/.
        "MEDIA_ROOT": env.get("MEDIA_ROOT", "var/media"),
        "PHOTO_MAX_BYTES": env_int(env, "PHOTO_MAX_BYTES", 10 * 1024 * 1024),
        "PHOTO_MAX_PIXELS": env_int(env, "PHOTO_MAX_PIXELS", 50_000_000),
        "INVENTORY_RETRY_BACKOFF_MS": env_int_list(env, "INVENTORY_RETRY_BACKOFF_MS", (100, 200)),
        "IDEMPOTENCY_TTL_SECONDS": env_int(env, "IDEMPOTENCY_TTL_SECONDS", 86400),
        # CSRF tokens live as long as the session so pages left open keep working.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # Flask-Compress: bodies from 500 bytes; a streamed response is passed on as it comes.
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_STREAMS": False,
        **channel_config(env),
        **channel_ui_config(env),
    }
