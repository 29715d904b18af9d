"""Matches over HTTP: access, shape, explanations, and read-your-writes across workers."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import Api, need_body, offer_body

COMPONENTS = {"text", "field", "trl", "budget", "transfer", "region"}


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    dryer = api.published("offers", institute["token"], dept)
    qr = api.published(
        "offers",
        institute["token"],
        dept,
        title="Phần mềm truy xuất nguồn gốc bằng mã QR",
        summary="Tem QR cho sản phẩm OCOP.",
        description="Truy xuất nguồn gốc nông sản.",
        keywords=["truy xuất nguồn gốc", "mã QR"],
        field_code="202",
        trl=8,
    )
    need = api.published("needs", enterprise["token"], dept)
    return {
        "dept": dept,
        "institute": institute,
        "enterprise": enterprise,
        "dryer": dryer,
        "qr": qr,
        "need": need,
    }


def test_need_matches_are_ranked_and_explained(api: Api, world: dict[str, Any]) -> None:
    response = api.get(f"/needs/{world['need']['id']}/matches", world["enterprise"]["token"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["index_version"] >= 1 and 0 < body["threshold"] < 1
    items = body["items"]
    assert items[0]["offer"]["id"] == world["dryer"]["id"]
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    top = items[0]
    assert set(top["components"]) == COMPONENTS
    assert top["explanation"]["shared_terms"] and top["explanation"]["notes"]
    assert any("sấy" in term for term in top["explanation"]["shared_terms"])
    assert any("TRL" in note for note in top["explanation"]["notes"])


def test_offer_matches_list_needs(api: Api, world: dict[str, Any]) -> None:
    response = api.get(f"/offers/{world['dryer']['id']}/matches", world["institute"]["token"])
    assert response.status_code == 200
    assert response.json()["items"][0]["need"]["id"] == world["need"]["id"]


def test_matches_access(api: Api, world: dict[str, Any]) -> None:
    need_id = world["need"]["id"]
    assert api.get(f"/needs/{need_id}/matches", world["dept"]).status_code == 200
    assert api.get(f"/needs/{need_id}/matches", world["institute"]["token"]).status_code == 403
    assert api.get(f"/needs/{need_id}/matches").status_code == 401
    assert api.get("/needs/no-such-id/matches", world["dept"]).status_code == 404
    assert api.get(f"/needs/{need_id}/matches?limit=101", world["dept"]).status_code == 422
    draft = api.post("/needs", world["enterprise"]["token"], json=need_body()).json()
    assert api.get(f"/needs/{draft['id']}/matches", world["institute"]["token"]).status_code == 404
    # an owner may see candidates for a draft before publishing it
    assert api.get(f"/needs/{draft['id']}/matches", world["enterprise"]["token"]).status_code == 200


def test_hard_filters(api: Api, world: dict[str, Any]) -> None:
    url = f"/needs/{world['need']['id']}/matches"
    token = world["enterprise"]["token"]
    only_202 = api.get(f"{url}?field_code=202", token).json()["items"]
    assert [i["offer"]["id"] for i in only_202] == [world["qr"]["id"]]
    best = api.get(url, token).json()["items"][0]["score"]
    assert best < 0.999
    assert api.get(f"{url}?min_score={best + 0.001:.4f}", token).json()["items"] == []
    assert api.get(f"{url}?trl_min=9", token).json()["items"] == []


def _ids(api: Api, world: dict[str, Any]) -> list[str]:
    response = api.get(f"/needs/{world['need']['id']}/matches", world["enterprise"]["token"])
    return [item["offer"]["id"] for item in response.json()["items"]]


def test_every_committed_change_is_in_the_next_response(api: Api, world: dict[str, Any]) -> None:
    token, dept = world["institute"]["token"], world["dept"]
    assert world["dryer"]["id"] in _ids(api, world)
    better = api.published(
        "offers",
        token,
        dept,
        title="Cần máy sấy chè tiết kiệm năng lượng giữ màu xanh",
        description="Nhà máy chè, thiết bị sấy giữ màu xanh 3 tấn/ngày.",
        keywords=["sấy chè", "máy sấy"],
    )
    assert _ids(api, world)[0] == better["id"]  # published → present at once
    api.patch(
        f"/offers/{better['id']}",
        token,
        json={
            "title": "Giống lúa chịu hạn",
            "summary": "",
            "description": "Lúa.",
            "keywords": ["lúa"],
        },
    )
    assert _ids(api, world)[0] != better["id"]  # edited → re-ranked at once
    api.post(f"/offers/{world['dryer']['id']}/archive", token)
    assert world["dryer"]["id"] not in _ids(api, world)  # archived → gone
    api.delete(f"/offers/{world['qr']['id']}", token)
    assert world["qr"]["id"] not in _ids(api, world)  # deleted → gone


def test_a_second_worker_sees_writes_of_the_first(
    api: Api, world: dict[str, Any], settings: Settings
) -> None:
    """Two application instances on one database behave like two worker processes."""
    other_worker = create_app(settings)
    with TestClient(other_worker) as second:
        headers = {"Authorization": f"Bearer {world['enterprise']['token']}"}
        url = f"/api/v1/needs/{world['need']['id']}/matches"
        before = second.get(url, headers=headers).json()
        new = api.published(
            "offers",
            world["institute"]["token"],
            world["dept"],
            title="Máy sấy chè bơm nhiệt thế hệ mới",
            keywords=["sấy chè"],
        )
        after = second.get(url, headers=headers).json()
        assert after["index_version"] > before["index_version"]
        assert new["id"] in [item["offer"]["id"] for item in after["items"]]
        api.post(f"/offers/{new['id']}/archive", world["institute"]["token"])
        final = second.get(url, headers=headers).json()
        assert new["id"] not in [item["offer"]["id"] for item in final["items"]]


def test_suspended_organisation_leaves_the_index(api: Api, world: dict[str, Any]) -> None:
    assert world["dryer"]["id"] in _ids(api, world)
    api.post(f"/organizations/{world['institute']['organization']['id']}/suspend", world["dept"])
    assert _ids(api, world) == []
    assert api.get("/offers").json()["total"] == 0


def test_q_ranks_with_the_matcher_pipeline(api: Api, world: dict[str, Any]) -> None:
    items = api.get("/offers?q=truy xuat nguon goc QR").json()["items"]
    assert items[0]["id"] == world["qr"]["id"]
    own = api.post(
        "/offers",
        world["institute"]["token"],
        json=offer_body(title="Truy xuất nguồn gốc chè bản nháp"),
    ).json()
    mine = api.get("/offers?q=truy xuất nguồn gốc", world["institute"]["token"]).json()["items"]
    assert own["id"] in [item["id"] for item in mine]  # drafts are ranked for their owner
    public = api.get("/offers?q=truy xuất nguồn gốc").json()["items"]
    assert own["id"] not in [item["id"] for item in public]


def test_notes_name_fields_provinces_and_forms_in_vietnamese(
    api: Api, world: dict[str, Any]
) -> None:
    response = api.get(f"/needs/{world['need']['id']}/matches", world["enterprise"]["token"])
    assert response.status_code == 200, response.text
    notes = [n for item in response.json()["items"] for n in item["explanation"]["notes"]]
    assert "cùng lĩnh vực Kỹ thuật cơ khí" in notes
    assert "cùng tỉnh/thành: Phú Thọ" in notes
    assert any("chuyển quyền sử dụng công nghệ (li-xăng)" in n for n in notes)
    joined = " ".join(notes)
    for code in ("203", "licence", "technical_service", ": 25"):
        assert code not in joined


def test_a_match_item_carries_only_its_own_side(api: Api, world: dict[str, Any]) -> None:
    for_need = api.get(f"/needs/{world['need']['id']}/matches", world["enterprise"]["token"])
    items = for_need.json()["items"]
    assert items and all("offer" in i and "need" not in i for i in items)
    offer_id = items[0]["offer"]["id"]
    for_offer = api.get(f"/offers/{offer_id}/matches", world["dept"]).json()["items"]
    assert for_offer and all("need" in i and "offer" not in i for i in for_offer)
    assert all(
        set(i["components"]) == {"text", "field", "trl", "budget", "transfer", "region"}
        for i in items
    )
