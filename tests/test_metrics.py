"""Prometheus metrics: requests and latency by route template, matches, the index, jobs."""

import re

from prometheus_client.parser import text_string_to_metric_families

from app.periodic import PeriodicJob
from tests.conftest import Api


def _samples(api: Api) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_route_template_never_by_id(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    offer = api.published("offers", org["token"], dept)
    route = "/api/v1/offers/{listing_id}"
    before = _samples(api)
    api.get(f"/offers/{offer['id']}")
    api.get(f"/offers/{offer['id']}")
    api.get("/offers/does-not-exist")
    after = _samples(api)
    ok = dict(method="GET", route=route, status="200")
    missing = dict(method="GET", route=route, status="404")
    total = "techmatch_http_requests_total"
    assert _value(after, total, **ok) - _value(before, total, **ok) == 2
    assert _value(after, total, **missing) - _value(before, total, **missing) == 1
    count = "techmatch_http_request_duration_seconds_count"
    assert _value(after, count, method="GET", route=route) >= 3
    text = api.client.get("/metrics").text
    assert offer["id"] not in text and "does-not-exist" not in text


def test_match_latency_and_index_gauges(api: Api) -> None:
    dept = api.department()
    institute = api.verified_org(dept)
    enterprise = api.verified_org(dept, "enterprise")
    api.published("offers", institute["token"], dept)
    need = api.published("needs", enterprise["token"], dept)
    before = _samples(api)
    assert api.get(f"/needs/{need['id']}/matches", enterprise["token"]).status_code == 200
    after = _samples(api)
    name = "techmatch_match_duration_seconds_count"
    assert _value(after, name, side="need") - _value(before, name, side="need") == 1
    assert _value(after, "techmatch_index_documents", side="offers") == 1
    assert _value(after, "techmatch_index_documents", side="needs") == 1
    assert _value(after, "techmatch_index_version") >= 1
    age = _value(after, "techmatch_index_age_seconds")
    assert 0 <= age < 60


def test_background_jobs_are_counted() -> None:
    import threading

    ran = threading.Event()

    def boom() -> None:
        ran.set()
        raise RuntimeError("database away")

    job = PeriodicJob("metrics-test", 0.01, boom)
    job.start()
    assert ran.wait(5)
    job.stop()
    from prometheus_client import REGISTRY

    failed = REGISTRY.get_sample_value(
        "techmatch_job_runs_total", {"job": "metrics-test", "outcome": "failed"}
    )
    assert failed is not None and failed >= 1


def test_metrics_are_not_in_the_api_document(api: Api) -> None:
    assert "/metrics" not in api.get("/openapi.json").json()["paths"]
    api.client.get("/no/such/page/123")
    text = api.client.get("/metrics").text
    assert re.search(r'route="unmatched",status="404"', text)
    assert "/no/such/page" not in text
