"""Reports take ``limit`` like the match routes; ``top_k`` stays as a deprecated alias."""

from tests.conftest import Api
from tests.test_reports import _market


def test_limit_and_its_deprecated_alias_top_k(api: Api) -> None:
    m = _market(api)
    dept = m["dept"]

    def most(query: str) -> int:
        response = api.get(f"/reports/matches?{query}", dept)
        assert response.status_code == 200, response.text
        return max(len(item["candidates"]) for item in response.json()["items"])

    assert most("") == 2  # default 5, two offers published
    assert most("limit=1") == 1
    assert most("top_k=1") == 1
    assert most("limit=2&top_k=1") == 2  # limit wins
    for query in ("limit=0", "limit=51"):
        assert api.get(f"/reports/matches?{query}", dept).status_code == 422
    parameters = api.get("/openapi.json").json()["paths"]["/api/v1/reports/matches"]["get"]
    top_k = next(p for p in parameters["parameters"] if p["name"] == "top_k")
    assert top_k["deprecated"] is True
