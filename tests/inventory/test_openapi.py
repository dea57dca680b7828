"""Every inventory and guest endpoint is documented with schemas; the transition table matches the code."""
from __future__ import annotations

ENDPOINTS = {
    "/api/v1/properties/": {"get", "post"},
    "/api/v1/properties/{property_id}": {"get", "patch", "delete"},
    "/api/v1/properties/{property_id}/ical-token": {"post"},
    "/api/v1/bookings/": {"get", "post"},
    "/api/v1/bookings/{booking_id}": {"get", "patch", "delete"},
    "/api/v1/availability": {"get"},
    "/api/v1/availability/blocks": {"get", "post"},
    "/api/v1/availability/blocks/{block_id}": {"delete"},
    "/api/v1/guests/": {"get", "post"},
    "/api/v1/guests/{guest_id}": {"get", "patch", "delete"},
}


def test_every_endpoint_is_documented_with_schemas(client):
    document = client.get("/openapi.json").get_json()
    for path, methods in ENDPOINTS.items():
        assert methods <= set(document["paths"][path]), path
        for method in methods:
            operation = document["paths"][path][method]
            assert operation["summary"] and operation["responses"], (method, path)
            if method in ("post", "patch") and path != "/api/v1/properties/{property_id}/ical-token":
                assert operation["requestBody"]["content"]["application/json"]["schema"], (method, path)
    create = document["paths"]["/api/v1/bookings/"]["post"]
    assert {"201", "409", "422"} <= set(create["responses"])
    assert [p["name"] for p in create["parameters"]] == ["Idempotency-Key"]
    listing = {p["name"] for p in document["paths"]["/api/v1/properties/"]["get"]["parameters"]}
    assert {"limit", "offset", "q", "is_active"} <= listing
    docs = client.get("/docs").get_data(as_text=True)
    assert all(path in docs for path in ENDPOINTS)


def test_patch_docs_show_the_transition_table_of_the_code(client):
    from app.inventory.service import TRANSITIONS

    document = client.get("/openapi.json").get_json()
    description = document["paths"]["/api/v1/bookings/{booking_id}"]["patch"]["description"]
    final = [status for status, allowed in TRANSITIONS.items() if not allowed]
    for status, allowed in TRANSITIONS.items():
        if allowed:
            assert f"{status} -> {', '.join(allowed)};" in description
    assert f"{', '.join(final[:-1])} and {final[-1]} are final" in description
