"""The columns of a listing spreadsheet: API field name ↔ Vietnamese header.

Exports write the Vietnamese headers (the same words as the match report); imports accept those,
the API's field names and a few common variants, matched without regard to case, diacritics or
punctuation. One table serves both, so an export can be edited and imported again.
"""

import re
import unicodedata
from dataclasses import dataclass

OFFERS = "offers"
NEEDS = "needs"


@dataclass(frozen=True, slots=True)
class Column:
    """One column; ``offer``/``need`` are its headers in each kind's files."""

    name: str
    offer: str
    need: str
    aliases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = (OFFERS, NEEDS)
    # ``editable``: read back on import; otherwise written for the reader and ignored on import.
    editable: bool = True

    def header(self, kind: str) -> str:
        return self.offer if kind == OFFERS else self.need


def _both(name: str, header: str, *aliases: str, editable: bool = True) -> Column:
    return Column(name, header, header, aliases, editable=editable)


COLUMNS: tuple[Column, ...] = (
    Column("id", "Mã công nghệ", "Mã nhu cầu", ("Mã", "Mã tin")),
    _both("external_ref", "Mã tham chiếu", "Mã nội bộ", "Số hiệu"),
    _both("organization_id", "Mã tổ chức", editable=False),
    Column(
        "organization_name",
        "Tổ chức cung ứng",
        "Tổ chức có nhu cầu",
        ("Tổ chức", "Tên tổ chức"),
        editable=False,
    ),
    _both("status", "Trạng thái", editable=False),
    Column("title", "Tên công nghệ", "Tên nhu cầu", ("Tên", "Tiêu đề")),
    _both("summary", "Tóm tắt", "Mô tả ngắn", "Mô tả tóm tắt", "Tóm tắt nội dung"),
    _both("description", "Mô tả", "Mô tả chi tiết", "Nội dung", "Nội dung chi tiết"),
    _both("keywords", "Từ khóa", "Từ khoá"),
    Column(
        "field_code",
        "Lĩnh vực công nghệ",
        "Lĩnh vực nhu cầu",
        ("Lĩnh vực", "Mã lĩnh vực", "Lĩnh vực KH&CN"),
    ),
    Column(
        "province_code",
        "Tỉnh/thành công nghệ",
        "Tỉnh/thành nhu cầu",
        ("Tỉnh/thành", "Tỉnh/thành phố", "Tỉnh", "Mã tỉnh", "Địa bàn", "Địa phương"),
    ),
    _both("transfer_forms", "Hình thức chuyển giao"),
    Column(
        "trl", "TRL", "", ("Mức sẵn sàng công nghệ", "Mức độ sẵn sàng công nghệ"), kinds=(OFFERS,)
    ),
    Column("ip_status", "Tình trạng sở hữu trí tuệ", "", ("Sở hữu trí tuệ",), kinds=(OFFERS,)),
    Column("transfer_methods", "Phương thức chuyển giao", "", kinds=(OFFERS,)),
    Column("price_min_vnd", "Giá thấp nhất (VNĐ)", "", ("Giá từ",), kinds=(OFFERS,)),
    Column("price_max_vnd", "Giá cao nhất (VNĐ)", "", ("Giá đến",), kinds=(OFFERS,)),
    Column("price_type", "Loại giá", "", kinds=(OFFERS,)),
    Column("desired_trl_min", "", "TRL tối thiểu", ("TRL mong muốn",), kinds=(NEEDS,)),
    Column("budget_max_vnd", "", "Ngân sách tối đa (VNĐ)", ("Ngân sách",), kinds=(NEEDS,)),
    Column("deadline", "", "Hạn cần", ("Thời hạn",), kinds=(NEEDS,)),
    Column("confidential", "", "Bảo mật", kinds=(NEEDS,)),
    _both("valid_until", "Hiệu lực đến", "Có hiệu lực đến"),
    _both("version", "Phiên bản", editable=False),
    _both("rejection_reason", "Lý do trả lại", editable=False),
    _both("created_at", "Ngày tạo", editable=False),
    _both("updated_at", "Ngày cập nhật", editable=False),
    _both("published_at", "Ngày công bố", editable=False),
)

# Columns a spreadsheet commonly has that carry nothing for us: the row number.
IGNORED_HEADERS = ("STT", "Số thứ tự", "TT")
REQUIRED = ("title", "field_code", "province_code")
LIST_SEPARATOR = "; "


def header_key(text: str) -> str:
    """Lower case, no diacritics ("đ" → "d"), punctuation and spaces collapsed."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def columns(kind: str) -> list[Column]:
    """The columns of ``kind``'s files, in export order."""
    return [column for column in COLUMNS if kind in column.kinds]


def headers(kind: str) -> dict[str, Column]:
    """Every accepted spelling (folded) → its column, for ``kind``."""
    found: dict[str, Column] = {}
    for column in columns(kind):
        for text in (column.name, column.offer, column.need, *column.aliases):
            if text:
                found.setdefault(header_key(text), column)
    return found


def _without_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


def find_column(kind: str, text: str) -> Column | None:
    """The column a header names. Our bracketed unit may be left out ("Giá thấp nhất" for
    "Giá thấp nhất (VNĐ)") and a bracketed note added to a plain name ("TRL (1-9)"), but a
    different unit never matches ("Giá thấp nhất (triệu)" is not ours)."""
    known = headers(kind)
    unit_free = {
        header_key(_without_brackets(spelling)): c
        for c in columns(kind)
        for spelling in (c.offer, c.need, *c.aliases)
        if "(" in spelling
    }
    key = header_key(text)
    return known.get(key) or unit_free.get(key) or known.get(header_key(_without_brackets(text)))


def column(kind: str, name: str) -> Column:
    return next(c for c in columns(kind) if c.name == name)
