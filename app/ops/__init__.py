"""Operations: health and readiness, degraded mode, diagnostics and the ops console.

Reads every other domain's state but writes nothing of theirs.
"""
