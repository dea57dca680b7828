"""Registers every domain's CLI commands on the app."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from app.auth.cli import create_user_command
    from app.ops.demo import seed_demo_command
    from jobs.worker import worker_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(worker_command)
