"""Registration, tokens, roles and suspension, through HTTP."""

from datetime import timedelta

from sqlalchemy import select, update

from app.auth.models import AccessToken, User
from app.db import make_engine, make_session_factory, session_scope, utcnow
from tests.conftest import PASSWORD, Api


def _session(api: Api):  # type: ignore[no-untyped-def]
    return session_scope(make_session_factory(make_engine(api.settings.database_url)))


def test_register_creates_pending_org_and_its_admin(api: Api) -> None:
    data = api.register("enterprise")
    assert data["organization"]["status"] == "pending"
    assert data["user"]["role"] == "org_admin"
    me = api.get("/me", data["token"]).json()
    assert me["role"] == "org_admin"
    assert me["organization"]["id"] == data["organization"]["id"]
    assert me["user"]["email"] == data["email"]


def test_password_is_stored_as_argon2id_and_token_only_as_digest(api: Api) -> None:
    data = api.register()
    for session in _session(api):
        user = session.scalar(select(User).where(User.email == data["email"]))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        hashes = session.scalars(select(AccessToken.token_hash)).all()
        assert data["token"] not in hashes and len(hashes[0]) == 64


def test_duplicate_email_and_tax_code_conflict(api: Api) -> None:
    data = api.register()
    body = {
        "organization": {
            "name": "Khác",
            "kind": "enterprise",
            "tax_code": api.next_tax_code(),
            "province_code": "25",
        },
        "user": {"email": data["email"].upper(), "password": PASSWORD, "full_name": "A"},
    }
    assert api.post("/auth/register", json=body).status_code == 409
    body["user"]["email"] = "other@example.vn"
    body["organization"]["tax_code"] = data["organization"]["tax_code"]
    assert api.post("/auth/register", json=body).status_code == 409


def test_wrong_password_and_unknown_user_get_the_same_401(api: Api) -> None:
    data = api.register()
    wrong = api.post("/auth/token", data={"username": data["email"], "password": "nope" * 3})
    unknown = api.post("/auth/token", data={"username": "x@example.vn", "password": "nope" * 3})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["content-type"] == "application/problem+json"


def test_token_response_shape(api: Api) -> None:
    data = api.register()
    response = api.post("/auth/token", data={"username": data["email"], "password": PASSWORD})
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 12 * 3600
    assert body["access_token"].startswith("tm_")


def test_logout_revokes_the_token(api: Api) -> None:
    token = api.register()["token"]
    assert api.get("/me", token).status_code == 200
    assert api.post("/auth/logout", token).status_code == 204
    assert api.get("/me", token).status_code == 401


def test_expired_token_is_rejected(api: Api) -> None:
    token = api.register()["token"]
    for session in _session(api):
        session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert api.get("/me", token).status_code == 401


def test_missing_and_malformed_credentials(api: Api) -> None:
    assert api.get("/me").status_code == 401
    assert api.get("/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert api.get("/me", "not-a-token").status_code == 401
    assert api.get("/offers", "not-a-token").status_code == 401


def test_login_is_rate_limited(api: Api) -> None:
    api.client.app.state.login_throttle.limit = 3  # type: ignore[attr-defined]
    data = api.register()
    for _ in range(3):
        bad = api.post("/auth/token", data={"username": data["email"], "password": "x" * 12})
        assert bad.status_code == 401
    limited = api.post("/auth/token", data={"username": data["email"], "password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1


def test_suspension_stops_tokens_and_api_keys(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]
    key = api.post(f"/organizations/{org_id}/api-keys", org["token"], json={"name": "ERP"})
    assert key.status_code == 201
    secret = key.json()["key"]
    assert api.get("/me", headers={"X-API-Key": secret}).status_code == 200
    assert api.post(f"/organizations/{org_id}/suspend", dept).status_code == 200
    assert api.get("/me", org["token"]).status_code == 401
    assert api.get("/me", headers={"X-API-Key": secret}).status_code == 401
    again = api.post("/auth/token", data={"username": org["email"], "password": PASSWORD})
    assert again.status_code == 401


def test_api_key_lifecycle(api: Api) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    created = api.post(f"/organizations/{org_id}/api-keys", org["token"], json={"name": "CRM"})
    secret = created.json()["key"]
    listed = api.get(f"/organizations/{org_id}/api-keys", org["token"]).json()
    assert [k["name"] for k in listed] == ["CRM"] and "key" not in listed[0]
    offer = api.post(
        "/offers",
        headers={"X-API-Key": secret},
        json={"title": "Qua API key", "field_code": "2", "province_code": "25"},
    )
    assert offer.status_code == 201
    revoke = api.delete(f"/organizations/{org_id}/api-keys/{created.json()['id']}", org["token"])
    assert revoke.status_code == 204
    assert api.get("/me", headers={"X-API-Key": secret}).status_code == 401


def test_members_cannot_manage_keys_and_roles_are_enforced(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]
    member = api.post(
        f"/organizations/{org_id}/members",
        org["token"],
        json={"email": "member@example.vn", "password": PASSWORD, "full_name": "Trần Văn B"},
    )
    assert member.status_code == 201 and member.json()["role"] == "org_member"
    member_token = api.login("member@example.vn")
    assert api.get(f"/organizations/{org_id}/api-keys", member_token).status_code == 403
    assert (
        api.patch(f"/organizations/{org_id}", member_token, json={"name": "Đổi tên"}).status_code
        == 403
    )
    # department-only routes
    assert api.post(f"/organizations/{org_id}/verify", member_token).status_code == 403
    assert api.post(f"/organizations/{org_id}/suspend", org["token"]).status_code == 403
    assert api.post(f"/organizations/{org_id}/verify").status_code == 401
