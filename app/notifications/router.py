"""/notifications (filled in by the notifications work)."""

from fastapi import APIRouter

router = APIRouter(tags=["notifications"])
