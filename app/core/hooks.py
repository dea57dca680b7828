"""Reads one domain lends another that must not import it.

The lender registers them when its module is set up (`Module.setup`); the
borrower asks for them while it serves a request and does without when the
lender is not mounted (e.g. the calendar without the channel manager).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app

HOOKS = "hooks"


def provide(app: Flask, name: str, provider: Any) -> None:
    app.extensions.setdefault(HOOKS, {})[name] = provider


def provided(name: str) -> Any | None:
    """What the mounted modules registered under `name`, or None."""
    return current_app.extensions.get(HOOKS, {}).get(name)
