"""/connections and match feedback (filled in by the connections work)."""

from fastapi import APIRouter

router = APIRouter(tags=["connections"])
