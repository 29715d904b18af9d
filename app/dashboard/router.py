"""/dashboard (filled in by the dashboard work)."""

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
