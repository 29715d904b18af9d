"""Provinces before 1 July 2025 → the 34 units in force since then.

The mapping is reference data (``province_history.json``): its ``version``, its legal source
(Nghị quyết 202/2025/QH15 on the reorganisation of provincial units) and, for each of the 63
old provinces, its old code (Quyết định 124/2004/QĐ-TTg), name and the current unit it became
part of. Spreadsheets still say "Vĩnh Phúc", "Tỉnh Hòa Bình", "TP. Hồ Chí Minh" or the old
code "26"; :func:`resolve_province` turns any of those, with or without diacritics, into a
current code, and refuses anything else with the closest valid units (never a guess).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from app.taxonomies.data import PROVINCES, Province, province_by_code

_PREFIXES = ("thanh pho ", "tinh ", "tp ", "t p ")


@dataclass(frozen=True, slots=True)
class OldProvince:
    """A provincial unit as it was before 1 July 2025."""

    code: str
    name: str
    kind: str
    new_code: str


@dataclass(frozen=True, slots=True)
class ProvinceHistory:
    version: str
    effective_from: str
    legal_source: str
    old_provinces: tuple[OldProvince, ...]
    aliases: dict[str, str]


class UnknownProvince(ValueError):
    """No current or former province has this name or code; ``suggestions`` are the closest."""

    def __init__(self, value: str, suggestions: list[tuple[Province, str | None]]) -> None:
        self.value = value
        self.suggestions = [province for province, _ in suggestions]
        hint = ", ".join(
            f"{p.name} ({p.code}{f', nay gồm {former}' if former else ''})"
            for p, former in suggestions
        )
        message = f"không có tỉnh/thành «{value}»"
        if not suggestions:
            message += " (dùng tên hoặc một trong 34 mã hiện hành, hay 63 mã trước 1/7/2025)"
        super().__init__(f"{message}; gần nhất: {hint}" if hint else message)


def fold(text: str) -> str:
    """Lower case, no diacritics ("đ" → "d"), punctuation as spaces, no "Tỉnh"/"TP." prefix."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    text = " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text.removeprefix(prefix)
    return text


@cache
def history() -> ProvinceHistory:
    """The bundled mapping, read once."""
    raw: dict[str, Any] = json.loads(
        resources.files("app.taxonomies")
        .joinpath("province_history.json")
        .read_text(encoding="utf-8")
    )
    return ProvinceHistory(
        version=raw["version"],
        effective_from=raw["effective_from"],
        legal_source=raw["legal_source"],
        old_provinces=tuple(OldProvince(**row) for row in raw["old_provinces"]),
        aliases=dict(raw["aliases"]),
    )


@cache
def _by_name() -> dict[str, str]:
    """Folded name (current, former or alias) → current code."""
    names = {fold(p.name): p.code for p in PROVINCES}
    for old in history().old_provinces:
        names.setdefault(fold(old.name), old.new_code)
    for alias, code in history().aliases.items():
        names.setdefault(fold(alias), code)
    return names


@cache
def _former_names() -> dict[str, str]:
    """Folded former name → its name with diacritics, for units that no longer exist."""
    current = {fold(p.name) for p in PROVINCES}
    return {
        fold(old.name): old.name for old in history().old_provinces if fold(old.name) not in current
    }


@cache
def _by_code() -> dict[str, str]:
    codes = {old.code: old.new_code for old in history().old_provinces}
    codes.update({p.code: p.code for p in PROVINCES})  # a current code always means itself
    return codes


def resolve_province(value: str | int) -> str:
    """The current code for a current or former province name or code; ``UnknownProvince``."""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if text.isdigit() and len(text) <= 2:
        code = _by_code().get(text.zfill(2))
        if code is None:
            raise UnknownProvince(text, [])
        return code
    key = fold(text)
    code = _by_name().get(key)
    if code is not None:
        return code
    # "25 – Phú Thọ" or "Phú Thọ (25)", as some exports write it
    match = re.fullmatch(r"(\d{1,2})\b.*|.*\((\d{1,2})\)", text)
    if match:
        return resolve_province(match.group(1) or match.group(2))
    raise UnknownProvince(text, closest(key))


def closest(key: str, n: int = 3) -> list[tuple[Province, str | None]]:
    """The current units whose (current or former) names are nearest to ``key``, each with the
    former province's name when that is what came close."""
    names, former = _by_name(), _former_names()
    found: list[tuple[Province, str | None]] = []
    for name in difflib.get_close_matches(key, list(names), n=10, cutoff=0.5):
        province = province_by_code(names[name])
        if province is not None and all(province != p for p, _ in found):
            found.append((province, former.get(name)))
    return found[:n]
