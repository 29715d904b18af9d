"""List pages, ranked search and matches cost a constant number of SQL statements, whatever
the page size; the ranked search reads only the page's rows."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from app.config import Settings
from app.db import session_scope
from app.matching.changes import record_change
from app.needs.models import Need
from app.offers.models import Offer
from tests.conftest import Api, make_settings

N = 120


@pytest.fixture
def settings(database_url: str) -> Settings:
    """No background jobs: only the request's own statements reach the engine meanwhile."""
    return make_settings(database_url, webhook_worker=False, expiry_interval_seconds=3600)


@contextmanager
def statements(api: Api) -> Iterator[list[str]]:
    """Every SQL statement the application sends meanwhile."""
    engine = api.client.app.state.engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def log(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", log)


def cost(api: Api, path: str, token: str | None = None) -> tuple[int, Any]:
    with statements(api) as seen:
        response = api.get(path, token)
    assert response.status_code == 200, response.text
    return len(seen), response.json()


@pytest.fixture
def corpus(api: Api) -> dict[str, Any]:
    """N published offers and N published needs, half of them confidential, written straight
    to the database with their change-feed entries (as a bulk import would)."""
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    factory = api.client.app.state.session_factory  # type: ignore[attr-defined]
    for session in session_scope(factory):
        for i in range(N):
            offer = Offer(
                organization_id=institute["organization"]["id"],
                title=f"Máy sấy bơm nhiệt cho chè số {i}",
                summary="Sấy chè ở nhiệt độ thấp, giữ màu và hương.",
                keywords=["máy sấy", "chè"],
                field_code="203" if i % 2 else "401",
                province_code="25",
                trl=1 + i % 9,
                status="published",
            )
            need = Need(
                organization_id=enterprise["organization"]["id"],
                title=f"Cần máy sấy chè tiết kiệm năng lượng {i}",
                summary="Thay lò sấy đốt củi bằng thiết bị sấy hiện đại.",
                keywords=["sấy chè"],
                field_code="203",
                province_code="25",
                desired_trl_min=5,
                confidential=i % 2 == 0,
                status="published",
            )
            session.add_all([offer, need])
            session.flush()
            record_change(session, listing_kind="offer", listing_id=offer.id)
            record_change(session, listing_kind="need", listing_id=need.id)
    return {
        "dept": dept,
        "institute": api.login(institute["user"]["email"]),
        "enterprise": api.login(enterprise["user"]["email"]),
        "need_id": need.id,
        "offer_id": offer.id,
    }


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/offers?", None),
        ("/offers?field_code=2&trl_min=3&", None),
        ("/needs?", "institute"),  # confidential owners blanked for a page at once
        ("/needs?", "dept"),
        ("/offers?q=may%20say%20che&field_code=2&", None),
        ("/needs?q=máy sấy chè&", "institute"),
        ("/offers?q=sấy chè&status=published&", "dept"),
    ],
)
def test_a_page_costs_the_same_queries_whatever_its_size(
    api: Api, corpus: dict[str, Any], path: str, who: str | None
) -> None:
    token = corpus[who] if who else None
    cost(api, f"{path}limit=1", token)  # the index has caught up with the corpus
    small = [cost(api, f"{path}limit=20&offset={o}", token) for o in (0, 20, 40)]
    large, body = cost(api, f"{path}limit=100", token)
    assert len(body["items"]) == min(100, body["total"]) > 40
    assert {count for count, _ in small} == {large}, (small, large)


def test_matches_cost_the_same_queries_for_5_or_100_candidates(
    api: Api, corpus: dict[str, Any]
) -> None:
    for path, who in (
        (f"/needs/{corpus['need_id']}/matches", "enterprise"),
        (f"/offers/{corpus['offer_id']}/matches", "institute"),
    ):
        cost(api, f"{path}?limit=1", corpus[who])
        few, small = cost(api, f"{path}?limit=5", corpus[who])
        many, large = cost(api, f"{path}?limit=100", corpus[who])
        assert len(small["items"]) == 5 and len(large["items"]) > 50
        assert few == many


def test_public_search_reads_only_the_page_rows(api: Api, corpus: dict[str, Any]) -> None:
    cost(api, "/offers?q=chè&limit=1")
    with statements(api) as seen:
        body = api.get("/offers?q=chè&field_code=2&trl_min=5&limit=7").json()
    assert body["total"] == len([i for i in range(N) if i % 2 and 1 + i % 9 >= 5])
    assert all(o["field_code"].startswith("2") and o["trl"] >= 5 for o in body["items"])
    reads = [s for s in seen if "FROM offers" in s]
    assert len(reads) == 1 and "IN (" in reads[0], seen  # the page's ids, nothing else
