"""/taxonomies: the reference data clients build their forms from."""

from typing import Any

from fastapi import APIRouter, Depends

from app.deps import PUBLIC
from app.taxonomies.data import ENUMS, FIELDS, PROVINCES
from app.taxonomies.province_history import history

router = APIRouter(prefix="/taxonomies", tags=["reference data"], dependencies=[Depends(PUBLIC)])


@router.get("/fields")
def fields() -> dict[str, Any]:
    """Vietnam's classification of S&T fields: 6 groups and their sub-fields."""
    items = [
        {
            "code": f.code,
            "name": f.name,
            "parent_code": f.parent_code,
            "level": 1 if f.parent_code is None else 2,
        }
        for f in FIELDS
    ]
    return {"items": items, "total": len(items)}


@router.get("/provinces")
def provinces() -> dict[str, Any]:
    """The 34 provincial-level units in force since 1 July 2025."""
    items = [{"code": p.code, "name": p.name, "kind": p.kind} for p in PROVINCES]
    return {"items": items, "total": len(items)}


@router.get("/provinces/history")
def province_history() -> dict[str, Any]:
    """The 63 provinces before 1 July 2025 and the current unit each became part of."""
    data = history()
    items = [
        {"code": p.code, "name": p.name, "kind": p.kind, "new_code": p.new_code}
        for p in data.old_provinces
    ]
    return {
        "version": data.version,
        "effective_from": data.effective_from,
        "legal_source": data.legal_source,
        "items": items,
        "total": len(items),
    }


@router.get("/enums")
def enums() -> dict[str, Any]:
    """Every closed list of codes, each item with its Vietnamese name."""
    return {
        name: [{"code": code, "name": label} for code, label in values.items()]
        for name, values in ENUMS.items()
    }
