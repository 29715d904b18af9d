"""One spreadsheet cell → the value the API's JSON body would carry.

Codes and the Vietnamese names our exports write are both accepted: "203" or "203 – Kỹ thuật cơ
khí" for a field, "Phú Thọ", an old province ("Vĩnh Phúc") or its code for a province, a code
or its Vietnamese label for every enumeration. Failures raise ``CellError`` with a Vietnamese
message.
"""

import re
from datetime import date, datetime
from typing import Any

from app.listings.columns import header_key
from app.taxonomies.data import (
    FIELDS,
    IP_STATUS,
    PRICE_TYPE,
    TRANSFER_FORM,
    TRANSFER_METHOD,
    field_by_code,
)
from app.taxonomies.province_history import UnknownProvince, resolve_province

LIST_FIELDS = frozenset({"keywords", "transfer_forms", "transfer_methods"})
INT_FIELDS = frozenset(
    {"trl", "price_min_vnd", "price_max_vnd", "desired_trl_min", "budget_max_vnd"}
)
DATE_FIELDS = frozenset({"valid_until", "deadline"})
TEXT_FIELDS = frozenset({"summary", "description"})
ENUMS: dict[str, dict[str, str]] = {
    "transfer_forms": TRANSFER_FORM,
    "transfer_methods": TRANSFER_METHOD,
    "ip_status": IP_STATUS,
    "price_type": PRICE_TYPE,
}
_FORMULA_START = ("=", "+", "-", "@")
_TRUE = frozenset({"true", "1", "yes", "co", "x"})
_FALSE = frozenset({"false", "0", "no", "khong", ""})
_FIELD_NAMES = {header_key(f.name): f.code for f in FIELDS}


class CellError(ValueError):
    """A cell that cannot be read; the message is Vietnamese."""


def empty(name: str) -> Any:
    """What an empty cell means: an empty list or text, otherwise no value."""
    if name in LIST_FIELDS:
        return []
    if name in TEXT_FIELDS:
        return ""
    return None


def parse(name: str, raw: Any) -> Any:
    """The value of column ``name`` for the cell ``raw`` (``None`` when empty)."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw[:1] == "'" and raw[1:2] in _FORMULA_START:
            raw = raw[1:]  # our exports neutralise a leading "=", "+", "-" or "@" this way
    if raw is None or raw == "":
        return empty(name)
    if name in LIST_FIELDS:
        items = [item.strip() for item in str(raw).split(";") if item.strip()]
        return [_enum(name, item) for item in items] if name in ENUMS else items
    if name in ENUMS:
        return _enum(name, str(raw))
    if name in INT_FIELDS:
        return _integer(raw)
    if name == "confidential":
        return _boolean(raw)
    if name in DATE_FIELDS:
        return _date(raw)
    if name == "field_code":
        return _field(raw)
    if name == "province_code":
        try:
            return resolve_province(raw)
        except UnknownProvince as exc:
            raise CellError(str(exc)) from exc
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return raw if isinstance(raw, str) else str(raw)


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError("phải là số nguyên")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"-?\d{1,3}([ .,]\d{3})+", text):  # 200.000.000, 200,000,000, 200 000 000
        text = re.sub(r"[ .,]", "", text)
    if not re.fullmatch(r"-?\d+", text):
        raise CellError("phải là số nguyên")
    return int(text)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = header_key(str(raw))
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise CellError("phải là Có hoặc Không")


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError("phải là ngày dạng NNNN-TT-NN hoặc NN/TT/NNNN (ví dụ 31/12/2026)")


def _field(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    match = re.match(r"^(\d{1,3})(\s*[–—-].*)?$", text)
    code = match.group(1) if match else _unique_name(text, _FIELD_NAMES)
    if code is None or field_by_code(code) is None:
        raise CellError(
            f"«{text}» không phải lĩnh vực KH&CN trong danh mục "
            "(ghi mã như 203 hoặc tên như «Kỹ thuật cơ khí»)"
        )
    return code


def _unique_name(text: str, names: dict[str, str]) -> str | None:
    """The code whose (folded) name is ``text``, or the only one whose name contains it as
    whole words ("cơ khí" → "Kỹ thuật cơ khí"); ``None`` when none or several do."""
    key = header_key(text)
    if not key:
        return None
    if key in names:
        return names[key]
    found = {code for name, code in names.items() if f" {key} " in f" {name} "}
    return found.pop() if len(found) == 1 else None


def _enum(name: str, text: str) -> str:
    values = ENUMS[name]
    if text in values:
        return text
    names = {header_key(label): code for code, label in values.items()}
    names.update({header_key(code): code for code in values})
    code = _unique_name(text, names)
    if code is not None:
        return code
    allowed = "; ".join(f"{label} ({code})" for code, label in values.items())
    raise CellError(f"«{text}» không có trong danh mục; dùng một trong: {allowed}")
