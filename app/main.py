"""The application factory."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.audit.router import router as audit_router
from app.auth import security
from app.auth.router import router as auth_router
from app.auth.security import configure_from_settings
from app.auth.throttle import LoginThrottle
from app.config import Settings, get_settings
from app.connections.reveals import RevealContextMiddleware
from app.connections.router import router as connections_router
from app.dashboard.audit import router as dashboard_audit_router
from app.dashboard.router import router as dashboard_router
from app.dashboard.web import error_page as dashboard_error_page
from app.db import make_engine, make_session_factory
from app.docs import install_docs
from app.health import router as health_router
from app.imports.router import router as imports_router
from app.input_guard import InputGuardMiddleware
from app.listings.expiry import expire_once
from app.matching.engine import Matcher
from app.matching.labels import taxonomy_labels
from app.matching.live import LiveIndex
from app.matching.router import router as matching_router
from app.metrics import install_metrics
from app.needs.router import router as needs_router
from app.notifications.router import router as notifications_router
from app.notifications.worker import webhook_job
from app.offers.router import router as offers_router
from app.openapi import install_openapi
from app.openapi_texts import TAGS
from app.organizations.router import router as organizations_router
from app.periodic import PeriodicJob
from app.problems import RequestContextMiddleware, install_error_handlers, install_html_errors
from app.public.router import router as public_router
from app.reports.router import router as reports_router
from app.taxonomies.router import router as taxonomies_router

API_PREFIX = "/api/v1"
DESCRIPTION = """\
Everything is under `/api/v1`, JSON in and out. Sign in with `POST /api/v1/auth/token` and
press **Authorize** with the token (bearer), or use an organisation's API key (`X-API-Key`).
Errors are RFC 9457 `application/problem+json`. Lists take `limit` (≤ 100) and `offset`.
"""


def make_matcher(settings: Settings) -> Matcher:
    """A matcher with the configured threshold (the engine's calibrated one by default) that
    names fields, provinces and transfer forms in Vietnamese in its explanations."""
    if settings.match_threshold is None:
        return Matcher(labels=taxonomy_labels())
    return Matcher(threshold=settings.match_threshold, labels=taxonomy_labels())


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI application for ``settings`` (read from the environment by default)."""
    settings = settings or get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    configure_from_settings(settings)
    engine = make_engine(settings.database_url)
    reports_engine = (
        make_engine(settings.reports_database_url) if settings.reports_database_url else engine
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        factory = app.state.session_factory
        app.state.live_index.start(factory)  # /readyz stays 503 until it is built
        jobs = [
            PeriodicJob("expiry", settings.expiry_interval_seconds, lambda: expire_once(factory))
        ]
        if settings.webhook_worker:
            jobs.append(webhook_job(factory, settings))
        for job in jobs:
            job.start()
        yield
        for job in jobs:
            job.stop()
        app.state.live_index.stop()
        engine.dispose()
        reports_engine.dispose()

    app = FastAPI(
        title="techmatch",
        version="1.0",
        summary="Kết nối cung – cầu công nghệ: technology offers, needs and explained matches.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,  # app.docs serves them from bundled assets, without a CDN
        redoc_url=None,
        lifespan=lifespan,
        # No redirect to the slash-less path: its Location would echo the Host header.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.reports_session_factory = make_session_factory(reports_engine)
    app.state.live_index = LiveIndex(lambda: make_matcher(settings))
    app.state.login_throttle = LoginThrottle(
        app.state.session_factory, settings.login_rate_limit_per_minute
    )
    security.gate.configure(
        slots=settings.password_hash_slots, wait_seconds=settings.password_hash_wait_seconds
    )

    install_error_handlers(app)
    install_html_errors(app, "/dashboard", dashboard_error_page)
    install_openapi(app)
    install_docs(app)
    install_metrics(app)
    app.add_middleware(RevealContextMiddleware)
    app.add_middleware(InputGuardMiddleware, max_header_bytes=settings.max_header_bytes)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)

    app.include_router(health_router)
    for router in (
        auth_router,
        organizations_router,
        matching_router,
        offers_router,
        needs_router,
        taxonomies_router,
        connections_router,
        notifications_router,
        reports_router,
        imports_router,
        audit_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(dashboard_router)
    app.include_router(dashboard_audit_router)
    app.include_router(public_router)
    return app
