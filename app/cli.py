"""Registers every domain's CLI commands on the app."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from app.auth.cli import create_user_command, grant_operator_command, reset_password_command
    from app.channels.cli import (cancel_sync_log_command, purge_logs_command, rotate_channel_credentials_command,
                                  seed_connection_command, sync_sweep_stale_command)
    from app.ops.demo import seed_demo_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(reset_password_command)
    app.cli.add_command(grant_operator_command)
    app.cli.add_command(seed_demo_command)
    for command in (seed_connection_command, sync_sweep_stale_command, cancel_sync_log_command, purge_logs_command,
                    rotate_channel_credentials_command):
        app.cli.add_command(command)
