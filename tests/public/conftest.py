from __future__ import annotations

import pytest

from tests.factories import committed


@pytest.fixture
def site(app, make_agency):
    """`site(host, agency=None)` -> the agency (new unless given) whose website answers at `host`."""
    from app.public import domains

    def make(host: str, agency=None):
        agency = agency or make_agency()
        committed(app, lambda: domains.add_domain(agency.id, host))
        return agency
    return make


@pytest.fixture
def visit(client):
    """`visit(host, path, **kwargs)`: a GET as a browser on that host."""
    def get(host: str, path: str = "/", **kwargs):
        return client.get(path, headers={"Host": host, **kwargs.pop("headers", {})}, **kwargs)
    return get
