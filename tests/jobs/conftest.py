"""Job tests use the channel fixtures (simulator, burst worker, factories)."""
from tests.channels.conftest import (fast_engine, make_connection, make_range,  # noqa: F401
                                     mock_mode, run_worker, setup, sim_control, sim_requests, simulator,
                                     simulator_server, worker_app, write_logs)
