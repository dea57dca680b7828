"""The baseline job: RQ's cost per job with nothing inside (importable by the worker processes)."""


def noop() -> None:
    """Does nothing; RQ's own overhead per job is what remains."""
