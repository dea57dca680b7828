"""Channel manager: connections to booking channels, the sync engine, sync logs and batches.

Owns `channel_connections`, `channel_sync_logs` and `channel_rates` (what each connection was
last sent). Reads inventory (occupancy for availability pushes, the iCal export) and pricing (the
engine's rates for pricing pushes), and writes inventory
only through the inventory service (channel holds from imports). Adapters in
`adapters/` talk to the channels (mock, HTTP API, iCal); `simulator` is a
stand-in channel for tests and the demo.
"""
