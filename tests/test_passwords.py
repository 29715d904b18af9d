"""Changing a password, and one-time reset links issued by an org admin or the department."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.auth.models import PasswordReset
from app.db import make_engine, make_session_factory, session_scope, utcnow
from tests.conftest import PASSWORD, Api

NEW = "mat-khau-moi-rat-dai"


def _token_from_log(caplog: pytest.LogCaptureFixture) -> str:
    messages = [r.getMessage() for r in caplog.records if r.name == "techmatch.mail"]
    assert messages, "no reset e-mail was written to the console"
    found = re.search(r"password-reset\?token=(\S+)", messages[-1])
    assert found
    return found.group(1)


def test_change_password_needs_the_old_one_and_ends_other_sessions(api: Api) -> None:
    org = api.register()
    other_session = api.login(org["email"])
    token = org["token"]
    wrong = api.post(
        "/me/password", token, json={"old_password": "not-my-password", "new_password": NEW}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "old_password"]
    assert "not-my-password" not in wrong.text
    assert api.get("/me", other_session).status_code == 200  # nothing changed

    done = api.post("/me/password", token, json={"old_password": PASSWORD, "new_password": NEW})
    assert done.status_code == 204
    assert api.get("/me", token).status_code == 200  # the caller's own token stays
    assert api.get("/me", other_session).status_code == 401  # the others are revoked
    bad = {"username": org["email"], "password": PASSWORD}
    assert api.post("/auth/token", data=bad).status_code == 401
    assert api.login(org["email"], NEW)


def test_change_password_rules(api: Api) -> None:
    org = api.register()
    token = org["token"]
    short = api.post("/me/password", token, json={"old_password": PASSWORD, "new_password": "x"})
    assert short.status_code == 422
    same = api.post(
        "/me/password", token, json={"old_password": PASSWORD, "new_password": PASSWORD}
    )
    assert same.status_code == 422
    assert (
        api.post("/me/password", json={"old_password": PASSWORD, "new_password": NEW}).status_code
        == 401
    )


def test_repeated_wrong_old_passwords_are_throttled(api: Api) -> None:
    api.client.app.state.login_throttle.limit = 3  # type: ignore[attr-defined]
    token = api.register()["token"]
    body = {"old_password": "guess-guess-guess", "new_password": NEW}
    statuses = [api.post("/me/password", token, json=body).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]


def test_org_admin_resets_a_member_with_a_one_time_link(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]
    member = api.post(
        f"/organizations/{org_id}/members",
        org["token"],
        json={"email": "thanhvien@example.vn", "password": PASSWORD, "full_name": "Lê Văn Ba"},
    ).json()
    member_token = api.login("thanhvien@example.vn")
    with caplog.at_level(logging.WARNING, logger="techmatch.mail"):
        issued = api.post(f"/users/{member['id']}/password-reset", org["token"])
    assert issued.status_code == 202, issued.text
    assert issued.json()["delivery"] == "console"
    secret = _token_from_log(caplog)
    assert secret not in issued.text  # the admin never sees the link

    done = api.post("/auth/password-reset", json={"token": secret, "new_password": NEW})
    assert done.status_code == 204
    assert api.get("/me", member_token).status_code == 401  # every session ends
    assert api.login("thanhvien@example.vn", NEW)
    again = api.post("/auth/password-reset", json={"token": secret, "new_password": NEW + "2"})
    assert again.status_code == 422  # one time only
    assert again.json()["errors"][0]["loc"] == ["body", "token"]

    actions = [
        e["action"] for e in api.get("/audit?object_type=password_reset", dept).json()["items"]
    ]
    assert actions == ["password_reset.used", "password_reset.create"]


def test_who_may_reset_whom(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    other = api.verified_org(dept)
    admin_id = org["user"]["id"]
    # the department resets an org admin; an org admin cannot reset another org's admin
    assert api.post(f"/users/{admin_id}/password-reset", dept).status_code == 202
    assert api.post(f"/users/{admin_id}/password-reset", other["token"]).status_code == 404
    # an org admin does not reset itself this way, nor can a member ask for anything
    assert api.post(f"/users/{admin_id}/password-reset", org["token"]).status_code == 403
    assert api.post("/users/no-such-user/password-reset", dept).status_code == 404


def test_expired_link_is_refused(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    with caplog.at_level(logging.WARNING, logger="techmatch.mail"):
        api.post(f"/users/{org['user']['id']}/password-reset", dept)
    secret = _token_from_log(caplog)
    factory = make_session_factory(make_engine(api.settings.database_url))
    for session in session_scope(factory):
        session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = api.post("/auth/password-reset", json={"token": secret, "new_password": NEW})
    assert response.status_code == 422
    assert api.login(org["email"])  # the old password still works
