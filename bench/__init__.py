"""Benchmarks: the product's speed at scale next to the physical limit of the same machine.

`python -m bench all` (or one name) builds a throwaway PostgreSQL database and a
private redis-server, loads synthetic data in bulk, measures every figure
through the real code paths (gunicorn over HTTP, RQ workers, the service
layer) next to a baseline measured in the same run, prints the table and
appends it to BENCHMARKS.md. See `python -m bench --help`.
"""
