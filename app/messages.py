"""One Vietnamese message catalogue for validation errors.

Used by the import (row reports), the dashboard and the API when the client asks for Vietnamese
(``Accept-Language: vi``). pydantic's own error types are translated from their ``type`` and
``ctx``; our validators raise :func:`invalid` with a code of :data:`CATALOGUE`, so the English
message (the API's default) and the Vietnamese one come from the same entry.
"""

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

# code → (English, Vietnamese); ``{name}`` placeholders come from the error's context.
CATALOGUE: dict[str, tuple[str, str]] = {
    "field_code": (
        "must be a code of the S&T field classification (see /taxonomies/fields)",
        "phải là mã lĩnh vực KH&CN có trong danh mục (xem /taxonomies/fields)",
    ),
    "province_code": (
        "must be one of the 34 province codes (see /taxonomies/provinces)",
        "phải là một trong 34 mã tỉnh/thành hiện hành (xem /taxonomies/provinces)",
    ),
    "enum_item": ("each item must be one of: {allowed}", "mỗi mục phải là một trong: {allowed}"),
    "blank": ("must not be blank", "không được để trống"),
    "control_characters": (
        "must not contain control characters",
        "không được chứa ký tự điều khiển",
    ),
    "control_characters_long": (
        "must not contain control characters other than newline and tab",
        "không được chứa ký tự điều khiển (ngoài xuống dòng và tab)",
    ),
    "past_date": ("{name} must not be in the past.", "không được là ngày đã qua"),
    "not_null": ("{name} cannot be null.", "không được để trống"),
    "price_order": (
        "price_min_vnd must not exceed price_max_vnd.",
        "giá thấp nhất không được lớn hơn giá cao nhất",
    ),
    "integer": ("must be a whole number", "phải là số nguyên"),
    "boolean": ("must be true or false", "phải là có/không (true/false)"),
    "tax_code": (
        "must be a valid Vietnamese tax code: 10 digits with a correct check digit, "
        "or 10 digits + '-' + 3 digits for a branch",
        "phải là mã số thuế hợp lệ: 10 chữ số với số kiểm tra đúng, "
        "hoặc 10 chữ số + '-' + 3 chữ số cho chi nhánh",
    ),
    "phone": (
        "must be a phone number: digits, spaces, + ( ) . - (6 to 20)",
        "phải là số điện thoại: chữ số, dấu cách, + ( ) . - (6 đến 20 ký tự)",
    ),
    "url": ("must be an http(s) URL", "phải là địa chỉ http(s)"),
    "unknown_value": ("must be one of: {allowed}", "phải là một trong: {allowed}"),
}

# pydantic error type → Vietnamese template over its ``ctx``.
_PYDANTIC: dict[str, str] = {
    "missing": "bắt buộc, không được để trống",
    "extra_forbidden": "không phải trường được nhận",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_too_short": "phải có ít nhất {min_length} ký tự",
    "string_type": "phải là văn bản",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "bool_type": "phải là có/không (true/false)",
    "bool_parsing": "phải là có/không (true/false)",
    "date_type": "phải là ngày dạng NNNN-TT-NN (ví dụ 2026-12-31)",
    "date_parsing": "phải là ngày dạng NNNN-TT-NN (ví dụ 2026-12-31)",
    "date_from_datetime_parsing": "phải là ngày dạng NNNN-TT-NN (ví dụ 2026-12-31)",
    "date_from_datetime_inexact": "phải là ngày, không kèm giờ",
    "datetime_type": "phải là thời điểm dạng ISO 8601",
    "datetime_parsing": "phải là thời điểm dạng ISO 8601",
    "list_type": "phải là danh sách",
    "too_long": "nhiều nhất {max_length} mục",
    "too_short": "ít nhất {min_length} mục",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "url_parsing": "không phải địa chỉ URL hợp lệ",
    "uuid_parsing": "không phải mã hợp lệ",
}
_GENERIC_VI = "giá trị không hợp lệ"


def invalid(code: str, **ctx: Any) -> PydanticCustomError:
    """A validation error of the catalogue, for a pydantic validator to raise."""
    return PydanticCustomError(code, CATALOGUE[code][0], ctx)


def english(code: str, **ctx: Any) -> str:
    return CATALOGUE[code][0].format(**ctx)


def vietnamese(code: str, **ctx: Any) -> str:
    return CATALOGUE[code][1].format(**ctx)


def _ctx(error: Mapping[str, Any]) -> dict[str, str]:
    raw = error.get("ctx") or {}
    return {k: str(v).replace(" or ", " hoặc ") for k, v in raw.items()}


def vi_message(error: Mapping[str, Any]) -> str:
    """The Vietnamese message of one error (pydantic's ``errors()`` item or ours)."""
    kind = str(error.get("type", ""))
    ctx = _ctx(error)
    try:
        if kind in CATALOGUE:
            return vietnamese(kind, **ctx)
        if kind in _PYDANTIC:
            return _PYDANTIC[kind].format(**ctx)
    except (KeyError, IndexError):
        pass
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return "không phải địa chỉ e-mail hợp lệ"
    return _GENERIC_VI


def en_message(error: Mapping[str, Any]) -> str:
    """pydantic's English message without the "Value error, " prefix (which tells the client
    nothing); the e-mail validator's messages quote parts of the address, so they are replaced."""
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if "email address" in message:
        return "value is not a valid email address"
    return message


def prefers_vietnamese(accept_language: str | None) -> bool:
    """Whether the client's first language choice is Vietnamese (``vi``, ``vi-VN``…)."""
    if not accept_language:
        return False
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    ranked.sort()
    return bool(ranked) and ranked[0][0] < 0 and ranked[0][2].split("-")[0] == "vi"
