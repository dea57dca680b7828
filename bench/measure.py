"""Timing helpers: percentiles, result rows, and clients running in parallel processes."""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 100 samples is the 99th value)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def ms(seconds: float) -> float:
    return seconds * 1000


@dataclass
class Row:
    """One line of the results table; `baseline` None means the spec names no baseline."""
    benchmark: str
    metric: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


@dataclass
class Outcome:
    """What one benchmark hands back: table rows plus free text (EXPLAIN plans, notes)."""
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def latency_rows(benchmark: str, label: str, samples: list[float], baseline: list[float] | None = None,
                 p99_target_ms: float | None = None) -> list[Row]:
    """p50 and p99 in ms, each next to the baseline's percentile when there is one."""
    rows = []
    for pct in (50, 99):
        value = ms(percentile(samples, pct))
        base = ms(percentile(baseline, pct)) if baseline else None
        row = Row(benchmark, f"{label} p{pct}", value, "ms", base)
        if pct == 99 and p99_target_ms is not None:
            row.target, row.met = f"< {p99_target_ms:g} ms", value < p99_target_ms
        rows.append(row)
    return rows


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _client(target, index: int, barrier, results) -> None:
    try:
        barrier.wait(60)
        results.put((index, target(index, barrier)))
    except BaseException as exc:  # noqa: BLE001 - report to the parent instead of hanging it
        results.put((index, exc))


def run_clients(count: int, target: Callable, timeout: float = 1800) -> list:
    """Run `target(index, barrier)` in `count` forked processes released together; their return values.

    Each client opens its own HTTP session or database connection after the fork, so
    clients never share sockets; the barrier lets clients synchronise rounds.
    """
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(count), context.Queue()
    processes = [context.Process(target=_client, args=(target, index, barrier, results)) for index in range(count)]
    for process in processes:
        process.start()
    collected = dict(results.get(timeout=timeout) for _ in processes)
    for process in processes:
        process.join(30)
    failures = [value for value in collected.values() if isinstance(value, BaseException)]
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed: {failures[0]!r}") from failures[0]
    return [collected[index] for index in range(count)]
