"""WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...` (including `flask --app wsgi worker`)."""
from app import create_app
from jobs.worker import worker_command

app = create_app()
app.cli.add_command(worker_command)
