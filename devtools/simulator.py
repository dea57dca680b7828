"""Channel simulator: a small HTTP server speaking the adapters' API and serving iCal feeds.

Used by tests, benchmarks and the demo in place of real channels:

    python -m devtools.simulator --port 8765

Platform API under `/<platform>/listings/<listing_id>[/availability|/rates|/reservations]`,
iCal feeds under `/feeds/<name>.ics`. Control endpoints under `/_sim/`:

- `POST /_sim/faults` `{"mode": "ok"|"error"|"rate_limit"|"slow"|"malformed", "times": N|null,
  "status": 500, "retry_after": 1, "delay_seconds": 2}`: the next N answers (null = all) misbehave
- `PUT /_sim/feeds/<name>` (text/calendar body), `PUT /_sim/reservations/<platform>/<listing>` (JSON list)
- `GET /_sim/requests` what was received; `POST /_sim/reset` back to a healthy, empty channel
"""
from __future__ import annotations

import argparse
import json
import threading
import time

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

CAPABILITIES = ["availability_sync", "pricing_sync", "booking_retrieval"]
FAULT_MODES = ("ok", "error", "rate_limit", "slow", "malformed")


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


class ChannelSimulator:
    """The simulated channel's state, shared by the server threads."""

    url_map = Map([
        Rule("/_sim/faults", methods=["POST"], endpoint="set_faults"),
        Rule("/_sim/reset", methods=["POST"], endpoint="reset_state"),
        Rule("/_sim/requests", methods=["GET"], endpoint="list_requests"),
        Rule("/_sim/feeds/<name>", methods=["PUT"], endpoint="put_feed"),
        Rule("/_sim/reservations/<platform>/<listing>", methods=["PUT"], endpoint="put_reservations"),
        Rule("/feeds/<name>.ics", methods=["GET"], endpoint="feed"),
        Rule("/<platform>/listings/<listing>", methods=["GET"], endpoint="listing"),
        Rule("/<platform>/listings/<listing>/availability", methods=["PUT"], endpoint="push"),
        Rule("/<platform>/listings/<listing>/rates", methods=["PUT"], endpoint="push"),
        Rule("/<platform>/listings/<listing>/reservations", methods=["GET"], endpoint="reservations"),
    ])

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.faults = {"mode": "ok", "times": None}
            self.requests: list[dict] = []
            self.feeds: dict[str, bytes] = {}
            self.reservation_lists: dict[tuple[str, str], list] = {}

    # --- control ---

    def set_faults(self, request: Request) -> Response:
        faults = request.get_json(force=True)
        if faults.get("mode") not in FAULT_MODES:
            return json_response({"detail": f"mode must be one of {FAULT_MODES}"}, 422)
        with self.lock:
            self.faults = {"times": None, **faults}
        return json_response(self.faults)

    def reset_state(self, request: Request) -> Response:
        self.reset()
        return json_response({"reset": True})

    def list_requests(self, request: Request) -> Response:
        with self.lock:
            return json_response(list(self.requests))

    def put_feed(self, request: Request, name: str) -> Response:
        with self.lock:
            self.feeds[name] = request.get_data()
        return json_response({"feed": name, "bytes": len(self.feeds[name])})

    def put_reservations(self, request: Request, platform: str, listing: str) -> Response:
        with self.lock:
            self.reservation_lists[(platform, listing)] = request.get_json(force=True)
        return json_response({"reservations": len(self.reservation_lists[(platform, listing)])})

    # --- the channel ---

    def next_fault(self) -> dict | None:
        """The fault for this answer, counting down `times`."""
        with self.lock:
            faults = dict(self.faults)
            if faults["mode"] == "ok" or faults["times"] == 0:
                return None
            if faults["times"] is not None:
                self.faults["times"] -= 1
            return faults

    def misbehave(self, fault: dict) -> Response | None:
        mode = fault["mode"]
        if mode == "slow":
            time.sleep(float(fault.get("delay_seconds", 2)))
            return None
        if mode == "error":
            return json_response({"error": "simulated failure"}, int(fault.get("status", 500)))
        if mode == "rate_limit":
            return json_response({"error": "too many requests"}, 429,
                                 {"Retry-After": str(fault.get("retry_after", 1))})
        return Response("<html><body>502 Bad Gateway (simulated)</body", status=200, mimetype="application/json")

    def feed(self, request: Request, name: str) -> Response:
        with self.lock:
            body = self.feeds.get(name)
        if body is None:
            raise NotFound()
        return Response(body, mimetype="text/calendar")

    def listing(self, request: Request, platform: str, listing: str) -> Response:
        return json_response({"listing_id": listing, "account_id": f"sim_{platform}_account",
                              "capabilities": CAPABILITIES})

    def push(self, request: Request, platform: str, listing: str) -> Response:
        body = request.get_json(force=True, silent=True) or {}
        return json_response({"accepted": len(body.get("ranges", [])), "listing_id": listing})

    def reservations(self, request: Request, platform: str, listing: str) -> Response:
        with self.lock:
            items = list(self.reservation_lists.get((platform, listing), []))
        return json_response({"reservations": items})

    def record(self, request: Request) -> None:
        with self.lock:
            self.requests.append({"method": request.method, "path": request.path,
                                  "idempotency_key": request.headers.get("Idempotency-Key"),
                                  "api_key": bool(request.headers.get("X-Api-Key")),
                                  "body": request.get_data(as_text=True)[:2000]})

    def dispatch(self, request: Request) -> Response:
        endpoint, values = self.url_map.bind_to_environ(request.environ).match()
        if request.path.startswith("/_sim/"):
            return getattr(self, endpoint)(request, **values)
        self.record(request)
        fault = self.next_fault()
        answer = self.misbehave(fault) if fault else None
        if answer is not None:
            return answer
        if endpoint != "feed" and not request.headers.get("X-Api-Key"):
            return json_response({"error": "missing api key"}, 401)
        return getattr(self, endpoint)(request, **values)

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)


class QuietRequestHandler(WSGIRequestHandler):
    """No access log: a background server's thread outlives the output of the test that started it."""

    def log_request(self, *_args) -> None:
        pass


class BackgroundServer:
    """A WSGI app on a real localhost port, served from a background thread (tests, benchmarks)."""

    def __init__(self, wsgi_app=None, host: str = "127.0.0.1", port: int = 0):
        self.wsgi_app = wsgi_app or ChannelSimulator()
        self.server = make_server(host, port, self.wsgi_app, threaded=True, request_handler=QuietRequestHandler)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="background-server", daemon=True)

    def start(self) -> "BackgroundServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = make_server(args.host, args.port, ChannelSimulator(), threaded=True)
    print(f"Channel simulator on http://{args.host}:{server.server_port}/ (Ctrl-C stops)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
