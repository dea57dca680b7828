"""Every benchmark at smoke scale, so the harness keeps working as the product changes."""
from __future__ import annotations

from bench.__main__ import BENCHMARKS, run


def test_every_benchmark_runs_at_smoke_scale(capsys):
    text, outcome = run(["all"], "smoke", record=False)

    measured = {row.benchmark for row in outcome.rows}
    assert measured == {"booking", "contention", "availability", "sync", "logs", "purge", "page weight", "occupancy",
                        "quote", "public"}
    assert len(BENCHMARKS) == 10
    assert all(row.value == row.value and row.value >= 0 for row in outcome.rows)  # no NaN, no negatives
    baselines = [row for row in outcome.rows if row.metric.endswith(("bookings/s", "ops/s"))]
    assert baselines and all(row.baseline > 0 for row in baselines)
    exact = [row for row in outcome.rows if row.target.startswith("=")]
    assert exact and all(row.met for row in exact), [(row.metric, row.value) for row in exact if not row.met]
    assert "Index Scan" in text  # the query plans are part of the output
    assert "| benchmark | figure | value | baseline (same run) | ratio | target |" in capsys.readouterr().out
