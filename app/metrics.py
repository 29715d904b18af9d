"""Prometheus metrics at ``/metrics`` (prometheus-client).

Requests and their latency are labelled by route *template* (``/api/v1/offers/{listing_id}``),
never by concrete path, so ids do not leak and the series stay few. Match requests also feed
their own histogram; the index gauges are read from this worker's live index at scrape time.
With several workers set ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode)
so that counters from every worker add up.
"""

import os
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import PUBLIC
from app.telemetry import INDEX_SYNC, LATENCY, MATCH_LATENCY, REQUESTS

router = APIRouter(include_in_schema=False, dependencies=[Depends(PUBLIC)])


def _route_template(scope: Scope) -> str:
    # FastAPI >= 0.16x resolves included routers lazily; the full template is on its context.
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(context, "path_format", None)
    if not path:
        route = scope.get("route")
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else "unmatched"  # 404s: never label by the raw path


class MetricsMiddleware:
    """Counts every HTTP request and observes its latency, labelled by route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            elapsed = time.perf_counter() - started
            method = str(scope.get("method", ""))
            route = _route_template(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            if route.endswith("/matches") and status < 400:
                side = "need" if "/needs/" in route else "offer"
                MATCH_LATENCY.labels(side).observe(elapsed)


class IndexCollector(Collector):
    """This worker's live index: documents per side, version, seconds since it last changed."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        live = getattr(self.app.state, "live_index", None)
        if live is None:
            return
        sizes = GaugeMetricFamily(
            "techmatch_index_documents", "Listings in this worker's index", labels=["side"]
        )
        matcher = live.matcher
        for side in ("offers", "needs"):
            count = getattr(matcher, f"n_{side}", None)
            if isinstance(count, int):
                sizes.add_metric([side], count)
        yield sizes
        yield GaugeMetricFamily(
            "techmatch_index_version", "Change-feed version the index reflects", value=live.version
        )
        changed = getattr(self.app.state, "index_changed_at", None)
        age = time.time() - changed if changed is not None else float("nan")
        yield GaugeMetricFamily(
            "techmatch_index_age_seconds",
            "Seconds since this worker's index last changed",
            value=age,
        )


def _registry(app: FastAPI) -> CollectorRegistry:
    registry: CollectorRegistry | None = getattr(app.state, "metrics_registry", None)
    if registry is None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        else:
            registry = CollectorRegistry()
            registry.register(_Default())
        registry.register(IndexCollector(app))
        app.state.metrics_registry = registry
    return registry


class _Default(Collector):
    """The process-wide metrics above, re-exposed next to this app's index collector."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    body = generate_latest(_registry(request.app))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def watch_index(app: FastAPI) -> None:
    """Time each index sync and note when the index version last moved (for the age gauge)."""
    live = app.state.live_index
    sync = live.sync
    rebuild = live.rebuild

    def timed(step: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            before = live.version
            with INDEX_SYNC.time():
                result = step(*args, **kwargs)
            if live.version != before:
                app.state.index_changed_at = time.time()
            return result

        return run

    live.sync = timed(sync)
    live.rebuild = timed(rebuild)


def install_metrics(app: FastAPI) -> None:
    """The middleware, the index watch and the ``/metrics`` route."""
    app.state.index_changed_at = None
    app.add_middleware(MetricsMiddleware)
    watch_index(app)
    app.include_router(router)
