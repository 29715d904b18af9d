"""Review queue shows the whole listing and asks before publishing; organisations can be
verified, rejected (with a reason, also over the API) or suspended."""

from tests.conftest import need_body, offer_body
from tests.test_dashboard import Web, web  # noqa: F401  (the fixture)


def test_review_queue_shows_the_whole_listing_and_confirms_publication(web: Web) -> None:  # noqa: F811
    dept = web.api.department()
    org = web.api.verified_org(dept)
    body = offer_body(description="Quy trình sấy hai giai đoạn.\nCó hướng dẫn vận hành.")
    offer = web.api.post("/offers", org["token"], json=body).json()
    assert web.api.post(f"/offers/{offer['id']}/submit", org["token"]).status_code == 200
    web.login(web.staff())
    page = web.client.get("/dashboard/review").text
    for shown in (
        "Quy trình sấy hai giai đoạn.",
        "Mức độ sẵn sàng (TRL)</dt><dd>7",
        "200.000.000 – 400.000.000 đồng",
        "Tình trạng sở hữu trí tuệ",
        "Phương thức chuyển giao",
        "Hình thức chuyển giao",
    ):
        assert shown in page, shown
    # the publish button sits behind a confirmation that names the listing
    assert '<summary class="button primary">Công bố…</summary>' in page
    assert f"Công bố tin «{body['title']}»?" in page


def test_need_review_shows_budget_and_confidentiality(web: Web) -> None:  # noqa: F811
    dept = web.api.department()
    org = web.api.verified_org(dept, "enterprise")
    need = web.api.post("/needs", org["token"], json=need_body(confidential=True)).json()
    web.api.post(f"/needs/{need['id']}/submit", org["token"])
    web.login(web.staff())
    page = web.client.get("/dashboard/review").text
    assert "500.000.000 đồng" in page and "Có – ẩn tên tổ chức" in page


def test_pending_organisations_can_be_rejected_or_suspended(web: Web) -> None:  # noqa: F811
    dept = web.api.department()
    first = web.api.register("enterprise", name="Công ty Chè Thanh Ba")
    second = web.api.register("enterprise", name="Công ty Giấy Bãi Bằng")
    web.login(web.staff())
    csrf = web.csrf("/dashboard/organizations")
    first_id, second_id = first["organization"]["id"], second["organization"]["id"]

    blank = web.client.post(
        f"/dashboard/organizations/{first_id}/reject", data={"csrf": csrf, "reason": " "}
    )
    assert blank.headers["location"] == "/dashboard/organizations?error=reason"
    done = web.client.post(
        f"/dashboard/organizations/{first_id}/reject",
        data={"csrf": csrf, "reason": "Mã số thuế không khớp với tên"},
    )
    assert done.headers["location"].endswith(f"notice=org_rejected&id={first_id}")
    flash = web.client.get(done.headers["location"]).text
    assert "Đã từ chối tổ chức «Công ty Chè Thanh Ba» kèm lý do." in flash
    me = web.api.get("/me", first["token"]).json()["organization"]
    assert me["status"] == "rejected" and me["status_reason"] == "Mã số thuế không khớp với tên"

    suspended = web.client.post(
        f"/dashboard/organizations/{second_id}/suspend", data={"csrf": csrf}
    )
    assert suspended.headers["location"].endswith(f"notice=suspended&id={second_id}")
    assert web.api.get("/me", second["token"]).status_code == 401  # its sessions stop
    refused = web.client.post(f"/dashboard/organizations/{second_id}/suspend", data={})
    assert refused.status_code == 403  # CSRF
    assert web.api.get("/organizations?status=rejected", dept).json()["total"] == 1


def test_reject_organisation_over_the_api(web: Web) -> None:  # noqa: F811
    dept = web.api.department()
    org = web.api.register()
    org_id = org["organization"]["id"]
    url = f"/organizations/{org_id}/reject"
    assert web.api.post(url, org["token"], json={"reason": "x"}).status_code == 403
    assert web.api.post(url, dept, json={}).status_code == 422
    done = web.api.post(url, dept, json={"reason": "Thiếu giấy phép"})
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    assert web.api.post(url, dept, json={"reason": "lần nữa"}).status_code == 409
    verified = web.api.post(f"/organizations/{org_id}/verify", dept).json()
    assert verified["status"] == "verified" and verified["status_reason"] is None
