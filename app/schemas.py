"""Input types shared by every feature: clean Vietnamese text, pages, problems."""

import unicodedata
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from app.messages import invalid

T = TypeVar("T")

_LONG_TEXT_ALLOWED = frozenset("\n\t\r")


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _check_line(value: str) -> str:
    value = value.strip()
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise invalid("control_characters")
    return value


def _check_required_line(value: str) -> str:
    value = _check_line(value)
    if not value:
        raise invalid("blank")
    return value


def _check_long_text(value: str) -> str:
    for char in value:
        if char not in _LONG_TEXT_ALLOWED and unicodedata.category(char) in ("Cc", "Cs"):
            raise invalid("control_characters_long")
    return value


_NFC = BeforeValidator(_nfc)
_LINE = AfterValidator(_check_line)
_REQUIRED = AfterValidator(_check_required_line)
_LONG = AfterValidator(_check_long_text)

Name = Annotated[str, _NFC, Field(max_length=200), _REQUIRED]
Title = Annotated[str, _NFC, Field(max_length=200), _REQUIRED]
ShortLine = Annotated[str, _NFC, Field(max_length=120), _LINE]
Keyword = Annotated[str, _NFC, Field(max_length=100), _REQUIRED]
Address = Annotated[str, _NFC, Field(max_length=300), _LINE]
Reason = Annotated[str, _NFC, Field(max_length=1000), _REQUIRED]
Summary = Annotated[str, _NFC, Field(max_length=500), _LONG]
Description = Annotated[str, _NFC, Field(max_length=20_000), _LONG]
Message = Annotated[str, _NFC, Field(max_length=5_000), _LONG]


class StrictModel(BaseModel):
    """Request bodies: unknown (and server-owned) fields are rejected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


# Ids are UUIDs; anything outside this alphabet (NUL, say) can name nothing and never reaches SQL.
Id = Annotated[str, Field(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")]
# A single-line string with no control characters, for plain fields without a richer type.
PlainLine = Annotated[str, _NFC, _LINE]
LimitParam = Annotated[int, Field(ge=1, le=100)]
OffsetParam = Annotated[int, Field(ge=0, le=1_000_000)]
