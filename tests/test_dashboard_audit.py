"""The audit log page of the dashboard."""

from tests.conftest import offer_body
from tests.test_dashboard import Web, web  # noqa: F401  (the fixture)


def test_audit_page_lists_decisions_with_filters_and_is_department_only(web: Web) -> None:  # noqa: F811
    assert web.client.get("/dashboard/audit").status_code == 303  # sign in first
    dept = web.api.department()
    org = web.api.verified_org(dept)
    offer = web.api.post("/offers", org["token"], json=offer_body()).json()
    web.login(web.staff())

    page = web.client.get("/dashboard/audit")
    assert page.status_code == 200
    assert "Nhật ký thao tác" in page.text and "xác minh" in page.text
    assert "organization.verified" in page.text and org["email"] in page.text

    only_offer = web.client.get(f"/dashboard/audit?object_id={offer['id']}")
    assert "offer.create" in only_offer.text and "organization.verified" not in only_offer.text
    blank = web.client.get("/dashboard/audit?action=&object_type=&object_id=")
    assert blank.status_code == 200 and "organization.verified" in blank.text
    assert web.client.get("/dashboard/audit?page=0").status_code == 422
