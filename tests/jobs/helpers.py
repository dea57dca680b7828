"""Job functions the worker tests enqueue (importable by a worker subprocess)."""
from __future__ import annotations

import os
import time


def nap(seconds: float) -> str:
    time.sleep(seconds)
    return f"slept {seconds}"


def process_id() -> int:
    """The id of the process that runs the job."""
    return os.getpid()
