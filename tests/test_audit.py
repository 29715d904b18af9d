"""The append-only audit log: every decision and mutation, who, what, when, state digests."""

import itertools
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.audit.recorder import digest
from app.db import make_engine
from tests.conftest import Api, offer_body


def _entries(api: Api, token: str, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/audit?limit=100&{query}", token)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_decisions_and_edits_are_recorded_with_actor_and_digests(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]
    created = api.post("/offers", org["token"], json=offer_body()).json()
    offer_id = created["id"]
    api.patch(f"/offers/{offer_id}", org["token"], json={"title": "Máy sấy chè thế hệ mới"})
    api.post(f"/offers/{offer_id}/submit", org["token"])
    api.post(f"/offers/{offer_id}/publish", dept)

    entries = _entries(api, dept, f"object_id={offer_id}")
    actions = [e["action"] for e in reversed(entries)]
    assert actions == ["offer.create", "offer.update", "offer.pending_review", "offer.published"]
    edit = next(e for e in entries if e["action"] == "offer.update")
    assert "title" in edit["changed"]
    assert edit["actor"]["organization_id"] == org_id
    assert edit["actor"]["email"] == org["email"]
    assert edit["digest"]["before"] != edit["digest"]["after"]
    assert len(edit["digest"]["after"]) == 64
    published = entries[0]
    assert published["actor"]["role"] == "department"
    assert published["object"] == {"type": "offer", "id": offer_id}
    # the chain of digests joins up: each change starts from the state the previous one left
    chain = list(reversed(entries))
    for earlier, later in itertools.pairwise(chain):
        assert later["digest"]["before"] == earlier["digest"]["after"]

    verified = _entries(api, dept, "action=organization.verified")
    assert [e["object"]["id"] for e in verified] == [org_id]
    assert _entries(api, dept, "action=organization")  # a kind prefix matches its actions
    assert not _entries(api, dept, "action=organiz")  # but not a fragment


def test_audit_filters_paging_and_access(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    assert api.get("/audit", org["token"]).status_code == 403
    assert api.get("/audit").status_code == 401
    assert api.post("/offers", org["token"], json=offer_body()).status_code == 201
    mine = _entries(api, dept, f"organization_id={org['organization']['id']}")
    assert mine and all(e["actor"]["organization_id"] == org["organization"]["id"] for e in mine)
    page = api.get("/audit?limit=1&offset=1", dept).json()
    assert page["limit"] == 1 and page["offset"] == 1 and len(page["items"]) == 1
    assert page["total"] >= 2
    assert api.get("/audit?since=2020-01-01T00:00:00", dept).status_code == 422  # no zone
    assert _entries(api, dept, "since=2999-01-01T00:00:00Z") == []
    assert api.get("/audit?limit=101", dept).status_code == 422


def test_api_key_changes_are_recorded_and_bookkeeping_is_not(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]
    key = api.post(f"/organizations/{org_id}/api-keys", org["token"], json={"name": "ERP"}).json()
    assert api.get("/me", headers={"X-API-Key": key["key"]}).status_code == 200  # last_used_at
    api.delete(f"/organizations/{org_id}/api-keys/{key['id']}", org["token"])
    actions = [e["action"] for e in _entries(api, dept, "object_type=api_key")]
    assert actions == ["api_key.revoked", "api_key.create"]


def test_entries_cannot_be_rewritten(api: Api) -> None:
    dept = api.department()
    api.verified_org(dept)
    engine = make_engine(api.settings.database_url)
    with pytest.raises(DBAPIError), engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET action = 'nothing'"))
    engine.dispose()


def test_digest_is_canonical() -> None:
    assert digest({"a": 1, "b": "Chè"}) == digest({"b": "Chè", "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})
    assert digest(None) is None


def test_report_downloads_are_audited_and_json_reads_are_not(api: Api) -> None:
    dept = api.department()
    assert api.get("/reports/matches", dept).status_code == 200
    assert _entries(api, dept, "action=report") == []
    assert api.get("/reports/matches?format=csv", dept).status_code == 200
    [entry] = _entries(api, dept, "action=report.exported")
    assert entry["detail"]["format"] == "csv" and entry["actor"]["role"] == "department"
