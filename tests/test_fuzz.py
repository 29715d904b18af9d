"""Schemathesis over every operation, as every role, in-process: no 5xx, no schema violation.

The quick run (``make test``) tries a few examples per operation and role; ``make fuzz`` runs
more (``TECHMATCH_FUZZ_EXAMPLES``) against PostgreSQL.
"""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app import migrate
from app.auth.service import create_department_admin
from app.db import make_session_factory, session_scope
from app.main import create_app
from tests.conftest import PASSWORD, TempDatabases, make_settings

EXAMPLES = int(os.environ.get("TECHMATCH_FUZZ_EXAMPLES", "3"))
ROLES = ("anonymous", "department", "org_admin", "org_member")


@pytest.fixture(scope="module")
def fuzz_app(databases: TempDatabases) -> Iterator[tuple[Any, dict[str, dict[str, str]]]]:
    url = databases.new()
    migrate.upgrade(url)
    app = create_app(make_settings(url, webhook_worker=False))
    with TestClient(app) as client:
        for session in session_scope(make_session_factory(app.state.engine)):
            create_department_admin(
                session, email="fuzz@sokhcn.example.vn", password=PASSWORD, full_name="Sở"
            )

        def token(email: str) -> str:
            data = {"username": email, "password": PASSWORD}
            response = client.post("/api/v1/auth/token", data=data)
            assert response.status_code == 200, response.text
            return str(response.json()["access_token"])

        admin_email = f"admin-{uuid.uuid4().hex[:6]}@example.vn"
        body = {
            "organization": {
                "name": "Viện thử",
                "kind": "institute",
                "tax_code": "0100233488",
                "province_code": "25",
            },
            "user": {"email": admin_email, "password": PASSWORD, "full_name": "Quản trị"},
        }
        org = client.post("/api/v1/auth/register", json=body).json()
        admin = token(admin_email)
        member = {"email": "member@example.vn", "password": PASSWORD, "full_name": "Thành viên"}
        client.post(
            f"/api/v1/organizations/{org['organization']['id']}/members",
            json=member,
            headers={"Authorization": f"Bearer {admin}"},
        )
        headers = {
            "anonymous": {},
            "department": {"Authorization": f"Bearer {token('fuzz@sokhcn.example.vn')}"},
            "org_admin": {"Authorization": f"Bearer {admin}"},
            "org_member": {"Authorization": f"Bearer {token('member@example.vn')}"},
        }
        yield app, headers


def test_no_operation_fails_or_breaks_its_schema(
    fuzz_app: tuple[Any, dict[str, dict[str, str]]],
) -> None:
    app, headers = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if "logout" in operation.path:
            continue  # would revoke a role's token for the rest of the run
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            for role in ROLES:  # each generated request, as every role
                case.call_and_validate(
                    headers=headers[role],
                    checks=[not_a_server_error, response_schema_conformance],
                )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert operations > 50
    assert failures == [], "\n\n".join(failures)
