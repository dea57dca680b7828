"""Package version and the code version (commit) shared by web and workers."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from flask import current_app

PACKAGE_VERSION = "0.1.0"
ROOT = Path(__file__).resolve().parents[1]


def package_version() -> str:
    return PACKAGE_VERSION


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=2, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def code_version(fallback_to_git: bool = True) -> str | None:
    """SOURCE_COMMIT when set (containers); else the checkout's commit for skew checks."""
    commit = current_app.config.get("SOURCE_COMMIT")
    return commit or (git_commit() if fallback_to_git else None)
