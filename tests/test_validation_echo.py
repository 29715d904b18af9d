"""422 answers name the field and the rule, never the rejected input (issue 9, finding 6)."""

import pytest

from tests.conftest import PASSWORD, Api


def test_a_huge_unknown_field_name_is_not_echoed(api: Api) -> None:
    name = "x" * 200_000
    response = api.post(
        "/auth/register",
        json={"organization": {}, "user": {}, name: 1},
    )
    assert response.status_code == 422
    assert len(response.content) < 5_000
    locs = [e["loc"] for e in response.json()["errors"]]
    assert ["body", "x" * 40 + "…"] in locs


@pytest.mark.parametrize("email", ["<script>alert(1)</script>@x.vn", "ab@exa mple.vn", "ai@ă"])
def test_email_errors_do_not_quote_the_address(api: Api, email: str) -> None:
    org = api.register()
    body = {"email": email, "password": PASSWORD, "full_name": "Trần B"}
    response = api.post(
        f"/organizations/{org['organization']['id']}/members", org["token"], json=body
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "email"], "msg": "value is not a valid email address"}
    ]
