"""Reference data as plain Python constants (no framework imports).

- ``FIELDS``: Vietnam's classification of S&T fields (Bảng phân loại lĩnh vực nghiên cứu khoa
  học và công nghệ, Quyết định 12/2008/QĐ-BKHCN), levels 1 (6 groups) and 2 (46 sub-fields).
  Thông tư 24/2025/TT-BKHCN (in force from 15 December 2025) replaces that decision; it also has
  6 groups and 46 three-digit sectors (101–699), but its level-2 names were not checked here.
- ``PROVINCES``: the 34 provincial-level units in force since 1 July 2025 (Nghị quyết
  202/2025/QH15) with the administrative codes of Quyết định 19/2025/QĐ-TTg.
- ``ENUMS``: code → Vietnamese label for every enumeration in the public API.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Field:
    """One S&T field: a group (1 digit, no parent) or a sub-field (3 digits)."""

    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class Province:
    """A provincial-level unit; ``kind`` is "thành phố" (centrally run city) or "tỉnh"."""

    code: str
    name: str
    kind: str

    @property
    def full_name(self) -> str:
        """The official name with its prefix, e.g. "Tỉnh Phú Thọ", "Thành phố Huế"."""
        prefix = "Thành phố" if self.kind == CITY else "Tỉnh"
        return f"{prefix} {self.name}"


CITY = "thành phố"
PROVINCE = "tỉnh"


def _group(code: str, name: str, subfields: tuple[tuple[str, str], ...]) -> tuple[Field, ...]:
    return (Field(code, name, None), *(Field(c, n, code) for c, n in subfields))


FIELDS: tuple[Field, ...] = (
    *_group(
        "1",
        "Khoa học tự nhiên",
        (
            ("101", "Toán học và thống kê"),
            ("102", "Khoa học máy tính và thông tin"),
            ("103", "Vật lý"),
            ("104", "Hóa học"),
            ("105", "Các khoa học trái đất và môi trường liên quan"),
            ("106", "Sinh học"),
            ("199", "Khoa học tự nhiên khác"),
        ),
    ),
    *_group(
        "2",
        "Khoa học kỹ thuật và công nghệ",
        (
            ("201", "Kỹ thuật dân dụng"),
            ("202", "Kỹ thuật điện, kỹ thuật điện tử, kỹ thuật thông tin"),
            ("203", "Kỹ thuật cơ khí"),
            ("204", "Kỹ thuật hóa học"),
            ("205", "Kỹ thuật vật liệu và luyện kim"),
            ("206", "Kỹ thuật y học"),
            ("207", "Kỹ thuật môi trường"),
            ("208", "Công nghệ sinh học môi trường"),
            ("209", "Công nghệ sinh học công nghiệp"),
            ("210", "Công nghệ nano"),
            ("211", "Kỹ thuật thực phẩm và đồ uống"),
            ("299", "Khoa học kỹ thuật và công nghệ khác"),
        ),
    ),
    *_group(
        "3",
        "Khoa học y, dược",
        (
            ("301", "Y học cơ sở"),
            ("302", "Y học lâm sàng"),
            ("303", "Y tế"),
            ("304", "Dược học"),
            ("305", "Công nghệ sinh học trong y học"),
            ("399", "Khoa học y, dược khác"),
        ),
    ),
    *_group(
        "4",
        "Khoa học nông nghiệp",
        (
            ("401", "Trồng trọt"),
            ("402", "Chăn nuôi"),
            ("403", "Thú y"),
            ("404", "Lâm nghiệp"),
            ("405", "Thủy sản"),
            ("406", "Công nghệ sinh học trong nông nghiệp"),
            ("499", "Khoa học nông nghiệp khác"),
        ),
    ),
    *_group(
        "5",
        "Khoa học xã hội",
        (
            ("501", "Tâm lý học"),
            ("502", "Kinh tế và kinh doanh"),
            ("503", "Khoa học giáo dục"),
            ("504", "Xã hội học"),
            ("505", "Pháp luật"),
            ("506", "Khoa học chính trị"),
            ("507", "Địa lý kinh tế và xã hội"),
            ("508", "Thông tin đại chúng và truyền thông"),
            ("599", "Khoa học xã hội khác"),
        ),
    ),
    *_group(
        "6",
        "Khoa học nhân văn",
        (
            ("601", "Lịch sử và khảo cổ học"),
            ("602", "Ngôn ngữ học và văn học"),
            ("603", "Triết học, đạo đức học và tôn giáo"),
            ("604", "Nghệ thuật"),
            ("699", "Khoa học nhân văn khác"),
        ),
    ),
)

# Ordered by administrative code, as in Quyết định 19/2025/QĐ-TTg. A merged province keeps the
# code of the unit that hosts its new seat (e.g. Bắc Ninh 24, seat in former Bắc Giang).
PROVINCES: tuple[Province, ...] = (
    Province("01", "Hà Nội", CITY),
    Province("04", "Cao Bằng", PROVINCE),
    Province("08", "Tuyên Quang", PROVINCE),
    Province("11", "Điện Biên", PROVINCE),
    Province("12", "Lai Châu", PROVINCE),
    Province("14", "Sơn La", PROVINCE),
    Province("15", "Lào Cai", PROVINCE),
    Province("19", "Thái Nguyên", PROVINCE),
    Province("20", "Lạng Sơn", PROVINCE),
    Province("22", "Quảng Ninh", PROVINCE),
    Province("24", "Bắc Ninh", PROVINCE),
    Province("25", "Phú Thọ", PROVINCE),
    Province("31", "Hải Phòng", CITY),
    Province("33", "Hưng Yên", PROVINCE),
    Province("37", "Ninh Bình", PROVINCE),
    Province("38", "Thanh Hóa", PROVINCE),
    Province("40", "Nghệ An", PROVINCE),
    Province("42", "Hà Tĩnh", PROVINCE),
    Province("44", "Quảng Trị", PROVINCE),
    Province("46", "Huế", CITY),
    Province("48", "Đà Nẵng", CITY),
    Province("51", "Quảng Ngãi", PROVINCE),
    Province("52", "Gia Lai", PROVINCE),
    Province("56", "Khánh Hòa", PROVINCE),
    Province("66", "Đắk Lắk", PROVINCE),
    Province("68", "Lâm Đồng", PROVINCE),
    Province("75", "Đồng Nai", PROVINCE),
    Province("79", "Hồ Chí Minh", CITY),
    Province("80", "Tây Ninh", PROVINCE),
    Province("82", "Đồng Tháp", PROVINCE),
    Province("86", "Vĩnh Long", PROVINCE),
    Province("91", "An Giang", PROVINCE),
    Province("92", "Cần Thơ", CITY),
    Province("96", "Cà Mau", PROVINCE),
)

ORGANIZATION_KIND: dict[str, str] = {
    "institute": "Viện nghiên cứu",
    "university": "Trường đại học, học viện",
    "enterprise": "Doanh nghiệp",
    "cooperative": "Hợp tác xã",
    "intermediary": "Tổ chức trung gian thị trường khoa học và công nghệ",
    "department": "Sở Khoa học và Công nghệ",
}

ORGANIZATION_STATUS: dict[str, str] = {
    "pending": "Chờ xác minh",
    "verified": "Đã xác minh",
    "suspended": "Tạm ngừng hoạt động",
    "rejected": "Bị từ chối",
}

LISTING_STATUS: dict[str, str] = {
    "draft": "Bản nháp",
    "pending_review": "Chờ duyệt",
    "published": "Đã công bố",
    "rejected": "Bị từ chối",
    "archived": "Đã lưu trữ",
    "expired": "Hết hạn",
}

# Hình thức chuyển giao công nghệ (Luật Chuyển giao công nghệ 2017, Điều 5), with the forms
# used in practice on technology exchanges split out.
TRANSFER_FORM: dict[str, str] = {
    "licence": "Chuyển quyền sử dụng công nghệ (li-xăng)",
    "assignment": "Chuyển nhượng quyền sở hữu công nghệ",
    "capital_contribution": "Góp vốn bằng công nghệ",
    "joint_development": "Hợp tác nghiên cứu, hoàn thiện công nghệ",
    "technical_service": "Dịch vụ kỹ thuật, tư vấn chuyển giao công nghệ",
    "turnkey": "Chuyển giao trọn gói (chìa khóa trao tay)",
    "equipment": "Mua bán máy móc, thiết bị kèm theo công nghệ",
}

# Phương thức chuyển giao công nghệ (Luật Chuyển giao công nghệ 2017, Điều 6).
TRANSFER_METHOD: dict[str, str] = {
    "documents": "Chuyển giao tài liệu, bản vẽ, quy trình công nghệ",
    "training": "Đào tạo, hướng dẫn bên nhận làm chủ công nghệ",
    "expert_assistance": "Cử chuyên gia tư vấn kỹ thuật",
    "pilot_production": "Sản xuất thử nghiệm, hoàn thiện tại cơ sở bên nhận",
    "turnkey_delivery": "Lắp đặt, vận hành và bàn giao dây chuyền",
}

IP_STATUS: dict[str, str] = {
    "patent": "Bằng độc quyền sáng chế",
    "patent_pending": "Đơn đăng ký sáng chế đang thẩm định",
    "utility_solution": "Bằng độc quyền giải pháp hữu ích",
    "industrial_design": "Bằng độc quyền kiểu dáng công nghiệp",
    "plant_variety": "Bằng bảo hộ giống cây trồng",
    "trade_secret": "Bí mật kinh doanh, bí quyết kỹ thuật",
    "copyright": "Quyền tác giả (phần mềm, tài liệu)",
    "none": "Chưa đăng ký bảo hộ",
}

PRICE_TYPE: dict[str, str] = {
    "negotiable": "Thỏa thuận",
    "indicative": "Giá tham khảo",
    "fixed": "Giá cố định",
}

CONNECTION_STATUS: dict[str, str] = {
    "proposed": "Đã đề nghị kết nối",
    "accepted": "Đã chấp nhận",
    "declined": "Đã từ chối",
    "withdrawn": "Đã rút lại",
    "negotiating": "Đang đàm phán",
    "contracted": "Đã ký hợp đồng",
    "closed": "Đã kết thúc",
}

ROLE: dict[str, str] = {
    "department": "Cán bộ Sở Khoa học và Công nghệ",
    "org_admin": "Quản trị viên tổ chức",
    "org_member": "Thành viên tổ chức",
}

ENUMS: dict[str, dict[str, str]] = {
    "organization_kind": ORGANIZATION_KIND,
    "organization_status": ORGANIZATION_STATUS,
    "listing_status": LISTING_STATUS,
    "transfer_form": TRANSFER_FORM,
    "transfer_method": TRANSFER_METHOD,
    "ip_status": IP_STATUS,
    "price_type": PRICE_TYPE,
    "connection_status": CONNECTION_STATUS,
    "role": ROLE,
}

FIELD_CODES: frozenset[str] = frozenset(f.code for f in FIELDS)
PROVINCE_CODES: frozenset[str] = frozenset(p.code for p in PROVINCES)

_FIELDS_BY_CODE: dict[str, Field] = {f.code: f for f in FIELDS}
_PROVINCES_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}


def field_by_code(code: str) -> Field | None:
    """The field with this code, or ``None``."""
    return _FIELDS_BY_CODE.get(code)


def province_by_code(code: str) -> Province | None:
    """The province with this code, or ``None``."""
    return _PROVINCES_BY_CODE.get(code)
