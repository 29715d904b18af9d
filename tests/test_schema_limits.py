"""What a schema accepts fits the column it is stored in (a longer value is a 500 on PostgreSQL)."""

from typing import Any

import pytest
from email_validator.rfc_constants import EMAIL_MAX_LENGTH
from pydantic import BaseModel
from sqlalchemy import String

from app.auth.models import ApiKey, User
from app.auth.schemas import UserIn
from app.connections.models import Connection, MatchDismissal
from app.connections.schemas import ConnectionIn, DismissIn
from app.listings.schemas import RejectIn
from app.needs.models import Need
from app.needs.schemas import NeedIn, NeedPatch
from app.notifications.schemas import WebhookIn
from app.offers.models import Offer
from app.offers.schemas import OfferIn, OfferPatch
from app.organizations.models import Organization
from app.organizations.schemas import ApiKeyIn, MemberIn, OrganizationIn, OrganizationPatch

# (schema, model, {schema field: column} where the names differ)
PAIRS: list[tuple[type[BaseModel], Any, dict[str, str]]] = [
    (UserIn, User, {}),
    (MemberIn, User, {}),
    (OrganizationIn, Organization, {}),
    (OrganizationPatch, Organization, {}),
    (ApiKeyIn, ApiKey, {}),
    (OfferIn, Offer, {}),
    (OfferPatch, Offer, {}),
    (NeedIn, Need, {}),
    (NeedPatch, Need, {}),
    (ConnectionIn, Connection, {}),
    (DismissIn, MatchDismissal, {}),
    (RejectIn, Offer, {"reason": "rejection_reason"}),
    (RejectIn, Need, {"reason": "rejection_reason"}),
    (WebhookIn, Organization, {"url": "webhook_url"}),
]


def _max_length(prop: dict[str, Any]) -> int | None:
    lengths = []
    for option in [prop, *prop.get("anyOf", [])]:
        if "maxLength" in option:
            lengths.append(option["maxLength"])
        elif "enum" in option or "const" in option:
            lengths.append(max(len(str(v)) for v in option.get("enum", [option.get("const")])))
        elif option.get("format") == "email":
            lengths.append(EMAIL_MAX_LENGTH)  # email-validator refuses longer addresses
    return max(lengths) if lengths else None


# Fields whose validator rewrites the value into something shorter before it is stored.
NORMALISED = {"tax_code"}  # "0100233488-001" at most: 14 characters (see organizations.tax_code)


@pytest.mark.parametrize(("schema", "model", "renamed"), PAIRS)
def test_schema_limits_fit_the_columns(
    schema: type[BaseModel], model: Any, renamed: dict[str, str]
) -> None:
    checked = 0
    for name, prop in schema.model_json_schema()["properties"].items():
        column = model.__table__.columns.get(renamed.get(name, name))
        if column is None or not isinstance(column.type, String) or column.type.length is None:
            continue
        if name in NORMALISED:
            continue
        limit = _max_length(prop)
        assert limit is not None, f"{schema.__name__}.{name} has no max length"
        assert limit <= column.type.length, f"{schema.__name__}.{name}: {limit} > {column}"
        checked += 1
    assert checked > 0
