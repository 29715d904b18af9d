"""Organisation request and response bodies."""

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field

from app.messages import invalid
from app.organizations.tax_code import is_valid_tax_code, normalize_tax_code
from app.schemas import Address, Name, Reason, ShortLine, StrictModel
from app.taxonomies.data import PROVINCE_CODES

OrganizationKind = Literal["institute", "university", "enterprise", "cooperative", "intermediary"]
_PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


def _tax_code(value: str) -> str:
    if not is_valid_tax_code(value):
        raise invalid("tax_code")
    return normalize_tax_code(value)


def _province(value: str) -> str:
    if value not in PROVINCE_CODES:
        raise invalid("province_code")
    return value


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise invalid("phone")
    return value


def _website(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise invalid("url")
    return value


TaxCode = Annotated[str, Field(max_length=20), AfterValidator(_tax_code)]
ProvinceCode = Annotated[str, Field(max_length=2), AfterValidator(_province)]
Phone = Annotated[str, Field(max_length=20), AfterValidator(_phone)]
Website = Annotated[str, Field(max_length=300), AfterValidator(_website)]


class OrganizationIn(StrictModel):
    name: Name
    kind: OrganizationKind
    tax_code: TaxCode
    province_code: ProvinceCode
    address: Address | None = None
    website: Website | None = None
    contact_name: ShortLine | None = None
    contact_email: EmailStr | None = None
    contact_phone: Phone | None = None


class OrganizationPatch(StrictModel):
    name: Name | None = None
    kind: OrganizationKind | None = None
    tax_code: TaxCode | None = None
    province_code: ProvinceCode | None = None
    address: Address | None = None
    website: Website | None = None
    contact_name: ShortLine | None = None
    contact_email: EmailStr | None = None
    contact_phone: Phone | None = None


class OrganizationOut(BaseModel):
    """An organisation; the contact fields are null unless the caller may see them."""

    id: str
    name: str
    kind: str
    tax_code: str | None
    province_code: str
    address: str | None
    website: str | None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contacts_visible: bool = False
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    verified_at: datetime | None
    status_reason: str | None = None


class OrganizationRejectIn(StrictModel):
    reason: Reason


class ApiKeyIn(StrictModel):
    name: Name


class ApiKeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    """Returned once, at creation: the only time the secret is shown."""

    key: str


class MemberIn(StrictModel):
    email: EmailStr
    password: Annotated[str, Field(min_length=10, max_length=128)]
    full_name: Name
    role: Literal["org_admin", "org_member"] = "org_member"
