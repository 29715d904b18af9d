"""Liveness and readiness."""

import os
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from app.deps import PUBLIC
from app.migrate import schema_status

router = APIRouter(tags=["operations"], dependencies=[Depends(PUBLIC)])


@router.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process is alive (``pid`` tells the worker processes apart)."""
    return {"status": "ok", "pid": os.getpid()}


@router.get("/readyz", response_model=None)
def readyz(request: Request) -> Any:
    """The database answers, its schema is at the latest migration and the worker's matching
    index is built (a load balancer sends it no traffic before)."""
    status = schema_status(request.app.state.engine)
    live = request.app.state.live_index
    status["index"] = {
        "built": live.ready,
        "version": live.version,
        "seconds": None if live.build_seconds is None else round(live.build_seconds, 3),
    }
    if status["ready"] and not live.ready:
        status["ready"] = False
        status["reason"] = live.build_error or "the matching index is being built"
    code = 200 if status["ready"] else 503
    body = {"status": "ready" if status["ready"] else "not ready", **status}
    if code != 200:
        return JSONResponse(
            {
                "type": "about:blank",
                "title": "Service unavailable",
                "status": 503,
                "detail": str(status.get("reason", "not ready")),
                **body,
            },
            status_code=503,
            media_type="application/problem+json",
        )
    return body
