"""Edits cannot bypass the department's review of listings or verification of organisations."""

from tests.conftest import PASSWORD, Api


def _member(api: Api, org: dict[str, object]) -> str:
    org_id = org["organization"]["id"]  # type: ignore[index]
    email = f"member-{org_id[:6]}@example.vn"
    body = {"email": email, "password": PASSWORD, "full_name": "Thành viên"}
    created = api.post(f"/organizations/{org_id}/members", org["token"], json=body)  # type: ignore[arg-type]
    assert created.status_code == 201, created.text
    return api.login(email)


def test_a_members_substantive_edit_of_a_published_listing_goes_back_to_review(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    offer = api.published("offers", org["token"], dept)
    member = _member(api, org)

    response = api.patch(f"/offers/{offer['id']}", member, json={"title": "Bộ KH&CN khuyến nghị"})

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending_review"
    assert api.get(f"/offers/{offer['id']}").status_code == 404  # no longer public
    assert api.post(f"/offers/{offer['id']}/publish", dept).status_code == 200


def test_a_non_substantive_edit_keeps_a_listing_published(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    offer = api.published("offers", org["token"], dept)

    response = api.patch(
        f"/offers/{offer['id']}", org["token"], json={"price_max_vnd": 500_000_000}
    )
    assert response.json()["status"] == "published"
    same = api.patch(f"/offers/{offer['id']}", org["token"], json={"title": offer["title"]})
    assert same.json()["status"] == "published"


def test_without_review_an_edit_keeps_a_listing_published(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    offer = api.published("offers", org["token"], dept)
    app = api.client.app
    app.state.settings = api.settings.model_copy(update={"review_required": False})  # type: ignore[attr-defined]

    response = api.patch(f"/offers/{offer['id']}", org["token"], json={"title": "Tên mới"})

    assert response.json()["status"] == "published"


def test_renaming_a_verified_organisation_needs_verification_again(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]

    kept = api.patch(f"/organizations/{org_id}", org["token"], json={"address": "Số 1"})
    assert kept.json()["status"] == "verified"
    renamed = api.patch(
        f"/organizations/{org_id}", org["token"], json={"name": "Bộ Khoa học và Công nghệ"}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["status"] == "pending"
    assert renamed.json()["verified_at"] is None
    assert api.post(f"/organizations/{org_id}/verify", dept).status_code == 200


def test_a_new_tax_code_needs_verification_again(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]

    response = api.patch(
        f"/organizations/{org_id}", org["token"], json={"tax_code": api.next_tax_code()}
    )

    assert response.json()["status"] == "pending"


def test_the_department_may_correct_a_name_without_losing_verification(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    org_id = org["organization"]["id"]

    response = api.patch(f"/organizations/{org_id}", dept, json={"name": "Viện (tên đúng)"})

    assert response.json()["status"] == "verified"


def test_members_cannot_change_organisation_data(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    member = _member(api, org)

    response = api.patch(
        f"/organizations/{org['organization']['id']}", member, json={"name": "Tên khác"}
    )

    assert response.status_code == 403
