"""Account request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field

from app.organizations.schemas import OrganizationIn, OrganizationOut
from app.schemas import Name, StrictModel

Password = Annotated[str, Field(min_length=10, max_length=128)]


class UserIn(StrictModel):
    email: EmailStr
    password: Password
    full_name: Name


class RegisterIn(StrictModel):
    organization: OrganizationIn
    user: UserIn


class UserOut(BaseModel):
    id: str
    email: str
    full_name: str
    role: str
    organization_id: str
    created_at: datetime


class RegisterOut(BaseModel):
    organization: OrganizationOut
    user: UserOut


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    user: UserOut | None
    organization: OrganizationOut
    role: str


class PasswordChangeIn(StrictModel):
    old_password: Annotated[str, Field(max_length=128)]
    new_password: Password


class PasswordResetOut(BaseModel):
    """A reset link was sent to the user (by e-mail, or to the server's console without SMTP)."""

    user_id: str
    expires_at: datetime
    delivery: str


class PasswordResetIn(StrictModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Password
