"""JSON API conventions: request validation with pydantic through spectree, which
also builds the OpenAPI document served at `/openapi.json` and `/docs`.

Validation errors answer 422 `{"detail": [{"loc", "msg", "type"}]}` (spec 20).
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, jsonify, make_response, render_template, request
from pydantic import BaseModel
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData
from spectree import Response as ApiResponse  # noqa: F401  (re-exported for api modules)

from app.extensions import csrf
from app.web.auth import protect_api
from app.web.limits import limit_json_body, raise_limit_for_uploads


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Detail(BaseModel):
    """4xx body of auth, not-found and rule errors."""
    detail: str


class ValidationErrorBody(BaseModel):
    """422 body for malformed or invalid input (spec 20)."""
    detail: list[FieldError]


def _validation_error_body(req, resp, req_validation_error, instance, model_adapter):
    if req_validation_error is None:
        return
    errors = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "value_error")}
        for e in model_adapter.validation_errors(req_validation_error)
    ]
    if request.content_length and request.mimetype == "application/json" and request.get_json(silent=True) is None:
        errors = [{"loc": ["body"], "msg": "Malformed JSON body", "type": "json_invalid"}]
    abort(make_response(jsonify({"detail": errors}), 422))


spec = SpecTree(
    "flask",
    title="Fewo PMS API",
    version="1.0.0",
    path="apidoc",
    page_templates={},
    validation_error_status=422,
    validation_error_model=ValidationErrorBody,
    before=_validation_error_body,
    security_schemes=[
        SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(name="session", data=SecuritySchemeData(type="apiKey", field_in="cookie", name="session")),
    ],
    security=[{"bearer": []}, {"session": []}],
)


def api_blueprint(name: str, import_name: str, url_prefix: str = "/api/v1", public: bool = False) -> Blueprint:
    """A JSON blueprint; unless public, every request must be authenticated."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)
    csrf.exempt(bp)  # protect_api enforces CSRF for cookie-authenticated writes itself
    return bp if public else protect_api(bp)


def keep_method_on_slash_redirect(response):
    """Slash-less collection URLs answer 307 (spec 20) instead of werkzeug's 308; both keep
    method, body and query string, and the Location keeps the scheme seen behind the proxy."""
    if response.status_code == 308 and request.path.startswith("/api/"):
        response.status_code = 307
    return response


def register_openapi(app: Flask) -> None:
    spec.register(app)
    app.url_value_preprocessor(raise_limit_for_uploads)
    app.before_request(limit_json_body)
    app.after_request(keep_method_on_slash_redirect)

    @app.get("/openapi.json")
    def openapi_document():
        return jsonify(spec.spec)

    @app.get("/docs")
    def api_docs():
        return render_template("api_docs.html", spec=spec.spec)
