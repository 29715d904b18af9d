"""Every route declares who may call it; a route without a policy fails here."""

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from app.config import Settings
from app.deps import Policy
from app.main import create_app


def _policies(dependant: Any) -> list[Policy]:
    found = [dependant.call] if isinstance(dependant.call, Policy) else []
    for sub in dependant.dependencies:
        found.extend(_policies(sub))
    return found


def _api_routes(
    routes: list[Any], prefix: str = "", inherited: tuple[Any, ...] = ()
) -> list[tuple[str, APIRoute, tuple[Any, ...]]]:
    """Every API route with its full path and the dependencies its routers add."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route, inherited))
        elif hasattr(route, "original_router"):  # FastAPI >= 0.16x keeps included routers
            router = route.original_router
            context = route.include_context
            found.extend(
                _api_routes(
                    router.routes,
                    prefix + context.prefix,
                    inherited + tuple(context.dependencies) + tuple(router.dependencies),
                )
            )
    return found


def routes_without_policy(app: FastAPI) -> list[str]:
    missing = []
    for path, route, inherited in _api_routes(app.router.routes):
        declared = [d.dependency for d in inherited if isinstance(d.dependency, Policy)]
        if not declared and not _policies(route.dependant):
            missing.append(f"{sorted(route.methods)} {path}")
    return missing


def test_every_route_declares_a_policy(settings: Settings) -> None:
    app = create_app(settings)
    assert routes_without_policy(app) == []
    assert len(_api_routes(app.router.routes)) > 30


def test_the_check_catches_a_route_without_policy(settings: Settings) -> None:
    app = create_app(settings)
    router = APIRouter()

    @router.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    app.include_router(router)
    assert routes_without_policy(app) == ["['GET'] /api/v1/forgotten"]
