"""Fields that offers and needs share, in requests and responses."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from app.messages import invalid
from app.schemas import Description, Keyword, Reason, StrictModel, Summary, Title
from app.taxonomies.data import ENUMS, FIELD_CODES, PROVINCE_CODES

MAX_VND = 10**15  # a thousand trillion đồng: far above any technology contract


def _field_code(value: str) -> str:
    if value not in FIELD_CODES:
        raise invalid("field_code")
    return value


def _province_code(value: str) -> str:
    if value not in PROVINCE_CODES:
        raise invalid("province_code")
    return value


def _unique(values: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _enum_list(enum: str) -> Any:
    allowed = frozenset(ENUMS[enum])

    def check(values: list[str]) -> list[str]:
        for value in values:
            if value not in allowed:
                raise invalid("enum_item", allowed=", ".join(sorted(allowed)))
        return _unique(values)

    return check


FieldCode = Annotated[str, Field(max_length=3), AfterValidator(_field_code)]
ProvinceCode = Annotated[str, Field(max_length=2), AfterValidator(_province_code)]
Keywords = Annotated[list[Keyword], Field(max_length=20), AfterValidator(_unique)]
TransferForms = Annotated[
    list[str], Field(max_length=10), AfterValidator(_enum_list("transfer_form"))
]
TransferMethods = Annotated[
    list[str], Field(max_length=10), AfterValidator(_enum_list("transfer_method"))
]
Trl = Annotated[int, Field(ge=1, le=9, strict=True)]
TrlQuery = Annotated[int, Field(ge=1, le=9)]  # query strings are text: parsed, not strict
Vnd = Annotated[int, Field(ge=0, le=MAX_VND, strict=True)]
ListingStatus = Literal["draft", "pending_review", "published", "rejected", "archived", "expired"]


class ListingIn(StrictModel):
    """Common create fields."""

    title: Title
    summary: Summary = ""
    description: Description = ""
    keywords: Keywords = []
    field_code: FieldCode
    province_code: ProvinceCode
    valid_until: date | None = None
    transfer_forms: TransferForms = []


class ListingPatch(StrictModel):
    """Common update fields; absent means unchanged."""

    title: Title | None = None
    summary: Summary | None = None
    description: Description | None = None
    keywords: Keywords | None = None
    field_code: FieldCode | None = None
    province_code: ProvinceCode | None = None
    valid_until: date | None = None
    transfer_forms: TransferForms | None = None


class RejectIn(StrictModel):
    reason: Reason


class ListingOut(BaseModel):
    """Common response fields."""

    id: str
    organization_id: str | None
    organization_name: str | None = None
    external_ref: str | None = None  # the organisation's own reference, set by an import
    title: str
    summary: str
    description: str
    keywords: list[str]
    field_code: str
    province_code: str
    valid_until: date | None
    transfer_forms: list[str]
    status: str
    rejection_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    score: float | None = None
