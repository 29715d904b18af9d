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
    """The database answers and its schema is at the latest migration."""
    status = schema_status(request.app.state.engine)
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
