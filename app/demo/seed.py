"""Loading the bundled Phú Thọ demo data into an empty database."""

import json
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.security import hash_password
from app.auth.service import create_department_admin, email_key
from app.db import utcnow
from app.matching.changes import record_change
from app.needs.models import Need
from app.offers.models import Offer
from app.organizations.models import Organization

DEMO_ADMIN_EMAIL = "so-khcn@phutho.example.vn"
_ORG_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "province_code",
    "address",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
)
_COMMON = (
    "title",
    "summary",
    "description",
    "keywords",
    "field_code",
    "province_code",
    "transfer_forms",
)
_OFFER = ("trl", "ip_status", "transfer_methods", "price_min_vnd", "price_max_vnd", "price_type")
_NEED = ("desired_trl_min", "budget_max_vnd", "confidential")


def load_demo_data() -> dict[str, Any]:
    """The bundled demo records."""
    text = resources.files("app.demo").joinpath("demo_data.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def database_is_empty(session: Session) -> bool:
    """No organisation yet besides, perhaps, the department's own."""
    count = session.scalar(
        select(func.count()).select_from(Organization).where(Organization.kind != "department")
    )
    return not count


def seed(session: Session, *, password: str) -> dict[str, int]:
    """Insert the demo organisations (verified), their users and listings."""
    data = load_demo_data()
    if session.scalar(select(User.id).where(User.email == DEMO_ADMIN_EMAIL)) is None:
        create_department_admin(
            session, email=DEMO_ADMIN_EMAIL, password=password, full_name="Cán bộ Sở KH&CN (demo)"
        )
    password_hash = hash_password(password)
    now = utcnow()
    organizations: dict[str, Organization] = {}
    for item in data["organizations"]:
        organization = Organization(
            **{name: item.get(name) for name in _ORG_FIELDS}, status="verified", verified_at=now
        )
        session.add(organization)
        session.flush()
        organizations[item["key"]] = organization
        session.add(
            User(
                organization_id=organization.id,
                email=email_key(item["user"]["email"]),
                password_hash=password_hash,
                full_name=item["user"]["full_name"],
                role="org_admin",
            )
        )
    counts = {"organizations": len(organizations), "offers": 0, "needs": 0}
    for kind, model, extra in (("offers", Offer, _OFFER), ("needs", Need, _NEED)):
        for item in data[kind]:
            status = item.get("status", "published")
            row = model(
                **{name: item.get(name) for name in (*_COMMON, *extra) if name in item},
                organization_id=organizations[item["org"]].id,
                status=status,
                published_at=now if status == "published" else None,
            )
            if isinstance(row, Need) and item.get("deadline"):
                row.deadline = date.fromisoformat(item["deadline"])
            session.add(row)
            session.flush()
            record_change(session, listing_kind=model.kind, listing_id=row.id)
            counts[kind] += 1
    session.flush()
    return counts
