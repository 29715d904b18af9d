"""The landing page, the favicon and the password-reset form behind the e-mailed link."""

import logging

import pytest

from tests.conftest import Api
from tests.test_passwords import NEW, _token_from_log


def test_landing_page_links_dashboard_docs_and_catalogue(api: Api) -> None:
    page = api.client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for link in ('href="/dashboard"', 'href="/docs"', 'href="/api/v1/offers"', "/favicon.svg"):
        assert link in page.text
    assert page.headers["Content-Security-Policy"]
    for path in ("/favicon.svg", "/favicon.ico"):
        icon = api.client.get(path)
        assert icon.status_code == 200 and icon.text.startswith("<svg")
        assert icon.headers["content-type"].startswith("image/svg+xml")


def test_reset_link_page_sets_the_password_once(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    with caplog.at_level(logging.WARNING, logger="techmatch.mail"):
        api.post(f"/users/{org['user']['id']}/password-reset", dept)
    secret = _token_from_log(caplog)

    form = api.client.get(f"/password-reset?token={secret}")
    assert form.status_code == 200 and f'value="{secret}"' in form.text
    assert form.headers["Referrer-Policy"] == "no-referrer"  # the token must not leak onwards

    data = {"token": secret, "new_password": NEW, "repeat": NEW + "x"}
    mismatch = api.client.post("/password-reset", data=data)
    assert mismatch.status_code == 422 and "không khớp" in mismatch.text
    data["repeat"] = NEW
    done = api.client.post("/password-reset", data=data)
    assert done.status_code == 200 and "Đã đặt mật khẩu mới" in done.text
    assert api.login(org["email"], NEW)
    again = api.client.post("/password-reset", data=data)
    assert again.status_code == 422 and "đã được dùng" in again.text
