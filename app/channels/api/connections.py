"""Connections: list (bare array), create, detail, partial update, soft delete, test; iCal export URL."""
from __future__ import annotations

import logging

from pydantic import ValidationError

from app.channels import service
from app.channels.api.base import bp
from app.channels.schemas import (ConnectionDetailOut, ConnectionIn, ConnectionList, ConnectionOut,
                                      ConnectionPatch, ConnectionsQuery, CreateQuery, IcalExportOut, TestOut,
                                      connection_detail_out, connection_fields)
from app.db import commit_with_retry
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

log = logging.getLogger(__name__)
TAGS = ["channel-connections"]
WRITERS = ("admin", "manager")


def connection_rows(views) -> ConnectionList:
    """Rows that do not fit the contract (bad legacy data) are skipped with a warning, never a 500."""
    rows = []
    for view in views:
        try:
            rows.append(ConnectionOut(**connection_fields(view)))
        except (ValidationError, TypeError) as exc:
            log.warning("Skipping channel connection %s in list: %s", view.connection.id, exc)
    return ConnectionList(rows)


@bp.get("/channel-connections/")
@spec.validate(query=ConnectionsQuery, resp=ApiResponse(HTTP_200=ConnectionList), tags=TAGS)
def list_connections(query: ConnectionsQuery):
    """The agency's channel connections as a bare JSON array (newest first)."""
    views = service.list_connections(current_agency_id(), limit=query.limit, offset=query.offset,
                                     platform_type=query.platform_type, status=query.status, q=query.q)
    return connection_rows(views)


@bp.post("/channel-connections/")
@require_role(*WRITERS)
@idempotent
@spec.validate(query=CreateQuery, json=ConnectionIn, headers=IdempotencyHeaders,
               resp=ApiResponse(HTTP_201=ConnectionDetailOut, HTTP_400=Detail, HTTP_404=Detail, HTTP_409=Detail),
               tags=TAGS)
def create_connection(query: CreateQuery, json: ConnectionIn):
    """Create a connection (admin, manager); the adapter's connection test runs first unless skipped."""
    agency_id = current_agency_id()
    values = json.model_dump(exclude={"property_id", "platform_type"})

    def create() -> ConnectionDetailOut:
        connection = service.create_connection(agency_id, json.property_id, json.platform_type,
                                               skip_connection_test=query.skip_connection_test, **values)
        return connection_detail_out(service.get_connection(agency_id, connection.id))  # before the commit

    return commit_with_retry(create), 201


@bp.get("/channel-connections/<uuid:connection_id>")
@spec.validate(resp=ApiResponse(HTTP_200=ConnectionDetailOut, HTTP_404=Detail), tags=TAGS)
def get_connection(connection_id):
    """One connection with the freshness of each operation."""
    return connection_detail_out(service.get_connection(current_agency_id(), connection_id))


@bp.route("/channel-connections/<uuid:connection_id>", methods=["PATCH", "PUT"])
@require_role(*WRITERS)
@spec.validate(json=ConnectionPatch, resp=ApiResponse(HTTP_200=ConnectionDetailOut, HTTP_404=Detail,
                                                      HTTP_409=Detail), tags=TAGS)
def update_connection(connection_id, json: ConnectionPatch):
    """Partial update (PUT behaves the same): map/unmap property, listing, metadata, status, tokens."""
    agency_id = current_agency_id()

    def update() -> ConnectionDetailOut:
        service.update_connection(agency_id, connection_id, json.model_dump(exclude_unset=True))
        return connection_detail_out(service.get_connection(agency_id, connection_id))  # before the commit

    return commit_with_retry(update)


@bp.delete("/channel-connections/<uuid:connection_id>")
@require_role("admin")
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_404=Detail), tags=TAGS)
def delete_connection(connection_id):
    """Soft delete (admin)."""
    commit_with_retry(lambda: service.delete_connection(current_agency_id(), connection_id))
    return "", 204


@bp.post("/channel-connections/<uuid:connection_id>/test")
@spec.validate(resp=ApiResponse(HTTP_200=TestOut, HTTP_404=Detail), tags=TAGS)
def test_connection(connection_id):
    """Connection health from the adapter (mock mode answers from the connection's status)."""
    connection, result = service.test_connection(current_agency_id(), connection_id)
    return TestOut(connection_id=connection.id, platform_type=connection.platform_type, healthy=result.healthy,
                   message=result.message, details=result.details)


@bp.get("/properties/<uuid:property_id>/ical-export")
@spec.validate(resp=ApiResponse(HTTP_200=IcalExportOut, HTTP_404=Detail), tags=["ical"])
def ical_export_url(property_id):
    """The property's secret iCal export URL (channels subscribe to it)."""
    prop = service.owned_property(current_agency_id(), property_id)
    return IcalExportOut(property_id=prop.id, url=service.ical_url(prop))
