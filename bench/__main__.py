"""`python -m bench all|<name>... [--scale smoke|full] [--no-record] [--note TEXT]`."""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from dataclasses import dataclass

from bench.measure import Outcome

BENCHMARKS = ("booking", "contention", "availability", "sync", "logs", "purge", "pageweight", "occupancy", "quote",
              "public")


@dataclass(frozen=True)
class Scale:
    bookings_per_client: dict
    contention_rounds: int
    availability_bookings: int
    availability_requests: int
    sync_operations: int
    sync_workers: tuple
    sync_scale_out_workers: tuple
    sync_scale_out_per_worker: int
    log_connections: int
    log_rows: int
    log_requests: int
    chart_properties: int
    chart_requests: int
    quote_requests: int
    public_properties: int
    public_requests: int


SCALES = {
    "smoke": Scale(bookings_per_client={1: 5, 8: 2}, contention_rounds=2, availability_bookings=400,
                   availability_requests=10, sync_operations=8, sync_workers=(2,), sync_scale_out_workers=(1, 4),
                   sync_scale_out_per_worker=3, log_connections=4,
                   log_rows=2000, log_requests=5, chart_properties=10, chart_requests=5,
                   quote_requests=10, public_properties=20, public_requests=5),
    "full": Scale(bookings_per_client={1: 300, 8: 100}, contention_rounds=100, availability_bookings=10_000,
                  availability_requests=500, sync_operations=1000, sync_workers=(1, 2, 4),
                  sync_scale_out_workers=(1, 2, 4, 8, 16), sync_scale_out_per_worker=20, log_connections=200,
                  log_rows=1_000_000, log_requests=200, chart_properties=200, chart_requests=200,
                  quote_requests=500, public_properties=500, public_requests=300),
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="+", choices=("all", *BENCHMARKS), help="benchmarks to run")
    parser.add_argument("--scale", choices=SCALES, default="full", help="smoke: small data, seconds")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to BENCHMARKS.md")
    parser.add_argument("--note", default="", help="remark recorded with the results (e.g. machine load)")
    return parser.parse_args(argv)


def run(names: list[str], scale_name: str, record: bool, note: str = "") -> tuple[str, Outcome]:
    """Run the benchmarks in one fresh stack; returns the rendered results and the rows."""
    from bench import report
    from bench.stack import Stack

    names = list(BENCHMARKS) if "all" in names else list(dict.fromkeys(names))
    started, outcome = time.monotonic(), Outcome()
    stack = Stack(extra_env=EXTRA_ENV)
    try:
        for name in names:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            result = importlib.import_module(f"bench.{name}").run(stack, SCALES[scale_name])
            outcome.rows += result.rows
            outcome.notes += result.notes
        text = report.render(stack, scale_name, names, outcome, time.monotonic() - started, note)
    finally:
        stack.close()
    print(text)
    if record:
        report.append(text)
    return text, outcome


# Channels simulate their calls in-process without the artificial delay, so the figures show the
# engine's own cost; token issuing is not rate limited for the benchmark's clients.
EXTRA_ENV = {"CHANNELS_MOCK_MODE": "true", "CHANNELS_MOCK_DELAY_SECONDS": "0", "AUTH_RATE_LIMIT": "1000 per minute"}

if __name__ == "__main__":
    args = parse(sys.argv[1:])
    run(args.names, args.scale, not args.no_record, args.note)
