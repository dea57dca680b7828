"""Outbound HTTP for adapters: timeouts, idempotency keys, stats and error classification."""
from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import requests
from flask import current_app

from app.channels.adapters.base import (CallStats, ChannelBadResponse, ChannelError, ChannelRateLimited,
                                        ChannelRejected, ChannelTimeout)
from app.version import package_version


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def snippet(response: requests.Response) -> str:
    text = " ".join(response.text.split())
    return text[:120] + ("..." if len(text) > 120 else "")


def raise_for_status(response: requests.Response) -> None:
    code = response.status_code
    if code == 429:
        raise ChannelRateLimited(f"Channel answered HTTP 429 (rate limited): {snippet(response)}",
                                 http_status=code, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if code >= 500:
        raise ChannelError(f"Channel answered HTTP {code}: {snippet(response)}", http_status=code)
    if code >= 400:
        raise ChannelRejected(f"Channel rejected the request with HTTP {code}: {snippet(response)}",
                              http_status=code)


class Wire:
    """One requests session with the configured timeouts, counting what it sends."""

    def __init__(self, stats: CallStats, idempotency_key: str = "", headers: dict | None = None):
        self.stats = stats
        self.idempotency_key = idempotency_key
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": f"fewo-pms/{package_version()}", **(headers or {})})
        config = current_app.config
        self.timeout = (config["CHANNELS_HTTP_CONNECT_TIMEOUT_SECONDS"], config["CHANNELS_HTTP_READ_TIMEOUT_SECONDS"])

    def send(self, method: str, url: str, **kwargs) -> requests.Response:
        """One call; raises a classified ChannelError for timeouts, refusals and HTTP errors."""
        headers = dict(kwargs.pop("headers", None) or {})
        if self.idempotency_key:
            headers["Idempotency-Key"] = f"{self.idempotency_key}-{self.stats.calls + 1}"
        started = time.perf_counter()
        self.stats.calls += 1
        try:
            response = self.session.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            # No URL in messages: feed URLs can carry secrets, and messages end up in logs and the API.
            raise ChannelTimeout(f"Channel did not answer within {self.timeout[1]:g}s") from None
        except requests.RequestException as exc:
            raise ChannelError(f"Cannot reach channel: {type(exc).__name__}") from None
        finally:
            self.stats.duration_ms += (time.perf_counter() - started) * 1000
        self.stats.http_status = response.status_code
        raise_for_status(response)
        return response

    def json(self, method: str, url: str, **kwargs) -> dict:
        response = self.send(method, url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            raise ChannelBadResponse(f"Channel answered with a malformed body: {snippet(response)}",
                                     http_status=response.status_code) from None
        if not isinstance(body, dict):
            raise ChannelBadResponse("Channel answered with unexpected JSON (not an object)",
                                     http_status=response.status_code)
        return body
