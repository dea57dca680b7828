"""Outbound HTTP for adapters: timeouts, idempotency keys, stats and error classification.

Every connection passes the outbound-URL guard (`app.channels.outbound`), redirects are
followed by hand (at most MAX_REDIRECTS hops, credentials only to the origin they were
configured for), bodies are streamed with a byte cap and a total deadline, and no message
ever quotes a remote body: status, content type and size only.
"""
from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from flask import current_app
from urllib3.exceptions import HTTPError, ReadTimeoutError

from app.channels.adapters.base import (CallStats, ChannelBadResponse, ChannelError, ChannelRateLimited,
                                        ChannelRejected, ChannelResponseTooLarge, ChannelTimeout)
from app.channels.outbound import GuardedAdapter, UrlNotAllowed
from app.version import package_version

MAX_REDIRECTS = 3
READ_CHUNK_BYTES = 64 * 1024


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


def describe(response: requests.Response) -> str:
    """What a message may say about a remote answer: its content type and size, never its text."""
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or "no content type"
    return f"{content_type}, {len(response.content)} bytes"


def raise_for_status(response: requests.Response) -> None:
    code = response.status_code
    if code == 429:
        raise ChannelRateLimited(f"Channel answered HTTP 429 (rate limited): {describe(response)}",
                                 http_status=code, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if code >= 500:
        raise ChannelError(f"Channel answered HTTP {code}: {describe(response)}", http_status=code)
    if code >= 400:
        raise ChannelRejected(f"Channel rejected the request with HTTP {code}: {describe(response)}",
                              http_status=code)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def redirected_method(method: str, status: int) -> str:
    """Like browsers and requests: 303 (and 301/302 after a POST) continue as GET."""
    if status == 303 and method != "HEAD" or status in (301, 302) and method == "POST":
        return "GET"
    return method


class Wire:
    """One requests session with the configured timeouts, counting what it sends.

    `auth_headers` (API key, bearer token) go only to the origin of the first URL of a call.
    """

    def __init__(self, stats: CallStats, idempotency_key: str = "", auth_headers: dict | None = None):
        self.stats = stats
        self.idempotency_key = idempotency_key
        self.auth_headers = auth_headers or {}
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy or .netrc from the environment: it would bypass the guard
        self.session.mount("http://", GuardedAdapter())
        self.session.mount("https://", GuardedAdapter())
        self.session.headers.update({"User-Agent": f"fewo-pms/{package_version()}"})
        config = current_app.config
        self.total_timeout = config["CHANNELS_HTTP_TOTAL_TIMEOUT_SECONDS"]
        self.max_bytes = config["CHANNELS_MAX_FEED_BYTES"]
        self.timeout = (config["CHANNELS_HTTP_CONNECT_TIMEOUT_SECONDS"],
                        min(config["CHANNELS_HTTP_READ_TIMEOUT_SECONDS"], self.total_timeout))

    def send(self, method: str, url: str, *, authenticated: bool = True, **kwargs) -> requests.Response:
        """One call; raises a classified ChannelError for timeouts, refusals and HTTP errors.

        `authenticated=False` (feeds at user-set URLs) sends no credentials at all.
        """
        headers = dict(kwargs.pop("headers", None) or {})
        if self.idempotency_key:
            headers["Idempotency-Key"] = f"{self.idempotency_key}-{self.stats.calls + 1}"
        started = time.perf_counter()
        deadline = time.monotonic() + self.total_timeout
        self.stats.calls += 1
        try:
            response = self._follow(method, url, headers, self.auth_headers if authenticated else {}, kwargs,
                                    deadline)
            self._read_body(response, deadline)
        except UrlNotAllowed as exc:
            raise ChannelRejected(f"Channel URL not allowed: {exc}") from None
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

    def _follow(self, method: str, url: str, headers: dict, auth_headers: dict, kwargs: dict,
                deadline: float) -> requests.Response:
        """The answer after at most MAX_REDIRECTS redirects; credentials never leave the first origin."""
        first_origin = origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                raise self._past_deadline()
            sent = {**headers, **(auth_headers if origin(url) == first_origin else {})}
            response = self.session.request(method, url, headers=sent, timeout=self.timeout, stream=True,
                                            allow_redirects=False, **kwargs)
            target = self.session.get_redirect_target(response)
            if not target:
                return response
            response.close()  # a redirect's body is never read
            url = urljoin(url, target)
            new_method = redirected_method(method, response.status_code)
            if new_method != method:
                kwargs = {key: value for key, value in kwargs.items() if key not in ("json", "data")}
            method = new_method
        raise ChannelRejected(f"Channel redirected more than {MAX_REDIRECTS} times")

    def _read_body(self, response: requests.Response, deadline: float) -> None:
        """Read the body into the response, at most `max_bytes` and until the total deadline."""
        announced = response.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > self.max_bytes:
            response.close()
            raise self._too_large()
        chunks, size = [], 0
        try:
            while chunk := response.raw.read1(READ_CHUNK_BYTES, decode_content=True):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large()
                if time.monotonic() > deadline:
                    raise self._past_deadline()
                chunks.append(chunk)
        except ReadTimeoutError:
            raise requests.Timeout() from None
        except (HTTPError, OSError):
            raise requests.ConnectionError() from None
        finally:
            response.close()
        response._content = b"".join(chunks)  # requests' own cache of the body: .content, .text, .json()

    def _past_deadline(self) -> ChannelTimeout:
        return ChannelTimeout(f"Channel did not finish answering within {self.total_timeout:g}s "
                              "(CHANNELS_HTTP_TOTAL_TIMEOUT_SECONDS)")

    def _too_large(self) -> ChannelResponseTooLarge:
        return ChannelResponseTooLarge(f"Channel answer is larger than {self.max_bytes} bytes "
                                       "(CHANNELS_MAX_FEED_BYTES)")

    def json(self, method: str, url: str, **kwargs) -> dict:
        response = self.send(method, url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            raise ChannelBadResponse(f"Channel answered with a malformed body: {describe(response)}",
                                     http_status=response.status_code) from None
        if not isinstance(body, dict):
            raise ChannelBadResponse("Channel answered with unexpected JSON (not an object)",
                                     http_status=response.status_code)
        return body
