"""Job functions the worker tests enqueue (importable by a worker subprocess)."""
from __future__ import annotations

import time


def nap(seconds: float) -> str:
    time.sleep(seconds)
    return f"slept {seconds}"
