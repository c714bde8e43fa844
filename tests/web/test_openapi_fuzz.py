"""Schemathesis against the OpenAPI document (bounded): no 500s, responses match the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from guarantor.config import Settings
from guarantor.services import admin
from guarantor.services.portal import Portal
from guarantor.web import create_app

CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
)


def _app(tmp_root: str):
    portal = Portal(
        Settings(db_url=f"sqlite:///{tmp_root}/fuzz.db", secret_key="fuzz", demo_users=False)
    )
    admin.add_user(portal, "fra", "fra-password-123", "capital", "FRA")
    token = admin.create_token(portal, "fra", "fuzz")
    return create_app(portal.settings, portal), token, portal


def test_openapi_document_is_valid(tmp_path):
    app, _, portal = _app(str(tmp_path))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = {op.ok().label for op in schema.get_all_operations()}
    portal.close()
    assert "PUT /api/v1/rounds/{round_id}/submissions/{country}" in operations


def _fuzz(operation, token: str, failures: list, calls: dict[str, int]) -> None:
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def check(case):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call()
        calls[operation.label] = calls.get(operation.label, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # collect every operation's failures, then report
            failures.append((operation.label, str(exc)[:400]))

    check()


def test_fuzz_the_api(tmp_path):
    app, token, portal = _app(str(tmp_path))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list = []
    calls: dict[str, int] = {}
    for result in schema.get_all_operations():
        _fuzz(result.ok(), token, failures, calls)
    portal.close()
    assert not failures, failures
    assert len(calls) >= 8 and sum(calls.values()) >= 150, calls
