"""The results table (stdout and BENCHMARKS.md) with the machine and commit it ran on."""
from __future__ import annotations

import math
import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from bench.measure import Outcome, Row
from bench.stack import ROOT, Stack

RESULTS_FILE = ROOT / "BENCHMARKS.md"


def fmt(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def ratio_text(row: Row) -> str:
    if row.ratio is None:
        return "—"
    return f"{row.ratio:.2f}x"


def verdict(row: Row) -> str:
    if row.met is None:
        return row.target or ""
    return f"{row.target} {'✅' if row.met else '❌ missed'}"


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | figure | value | baseline (same run) | ratio | target |",
             "|---|---|---:|---:|---:|---|"]
    lines += [f"| {r.benchmark} | {r.metric} | {fmt(r.value, r.unit)} | {fmt(r.baseline, r.unit)} | "
              f"{ratio_text(r)} | {verdict(r)} |" for r in rows]
    return "\n".join(lines)


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", f":!{RESULTS_FILE.name}")
    return commit + (" (uncommitted changes)" if changed else "")


def memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30


def machine(stack: Stack) -> str:
    return (f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {memory_gib():.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"PostgreSQL {stack.postgres_version()}, Redis {stack.redis.version}")


def render(stack: Stack, scale_name: str, names: list[str], outcome: Outcome, seconds: float, remark: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = [f"## {stamp} — scale `{scale_name}` — {', '.join(names)}", "",
            f"- Commit: `{git_commit()}`", f"- Machine: {machine(stack)}", f"- Duration: {seconds:.0f} s"]
    if remark:
        head.append(f"- Note: {remark}")
    notes = ["", "<details><summary>Details, query plans</summary>", "", "```",
             *("\n" + note for note in outcome.notes), "```", "", "</details>"] if outcome.notes else []
    return "\n".join([*head, "", table(outcome.rows), *notes, ""])


def append(text: str, path: Path = RESULTS_FILE) -> None:
    existing = path.read_text() if path.exists() else ""
    path.write_text(existing.rstrip("\n") + "\n\n" + text if existing else text)
