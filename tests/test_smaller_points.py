"""Issue 9, finding 12: transition addresses, slash redirects, spreadsheet formulas."""

import ipaddress

import pytest

from app.notifications.webhooks import is_public
from app.reports.export import to_csv
from tests.conftest import Api


@pytest.mark.parametrize(
    "address", ["2002:7f00:1::1", "2002:a00:1::", "64:ff9b::a00:1", "64:ff9b:1::1", "2001:0::1"]
)
def test_ipv6_transition_addresses_are_internal(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


def test_a_real_public_ipv6_address_is_public() -> None:
    assert is_public(ipaddress.ip_address("2606:4700:4700::1111"))


def test_a_trailing_slash_is_not_redirected_to_the_host_header(api: Api) -> None:
    response = api.client.get(
        "/api/v1/offers/", headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert "evil.example" not in response.headers.get("location", "")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", ";=cmd", ",=1", "; =1"])
def test_csv_cells_that_start_a_formula_are_neutralised(value: str) -> None:
    text = to_csv(["h"], [[value]]).decode("utf-8-sig")
    assert text.splitlines()[1].lstrip('"').startswith("'"), text


def test_csv_leaves_ordinary_text_alone() -> None:
    text = to_csv(["h"], [["máy sấy; chè"]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "máy sấy; chè"
