"""`flask worker`: an RQ worker with the scheduler on the configured queues."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker

from jobs import QUEUES, redis_connection, set_worker_app


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with scheduler) on the channels, maintenance and default queues."""
    app = current_app._get_current_object()
    set_worker_app(app)
    worker = Worker(list(QUEUES), connection=redis_connection())
    click.echo(f"Worker {worker.name} listening on {', '.join(QUEUES)}")
    worker.work(burst=burst, with_scheduler=True)
