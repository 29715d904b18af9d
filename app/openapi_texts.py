"""The words of the OpenAPI document: tag texts, security schemes, error texts, sample values."""

from typing import Any

TAGS: list[dict[str, str]] = [
    {
        "name": "identity",
        "description": "Registration, bearer tokens, the caller (`/me`), password changes and "
        "one-time password-reset links.",
    },
    {
        "name": "organizations",
        "description": "Institutes, universities, enterprises and cooperatives; the "
        "department verifies, rejects or suspends them. API keys and members are managed by "
        "the organisation's admin.",
    },
    {
        "name": "offers",
        "description": "Technologies an organisation can transfer, with their review "
        "lifecycle (draft → pending_review → published).",
    },
    {
        "name": "needs",
        "description": "Technologies an enterprise or cooperative is looking for; a "
        "confidential need hides its organisation until a connection is accepted.",
    },
    {
        "name": "matching",
        "description": "Ranked, explained candidates for a need or an offer, and the owners' "
        "feedback on them (dismissals).",
    },
    {
        "name": "connections",
        "description": "Expressions of interest between a need and an offer, followed to a "
        "contract; contact details are revealed once accepted.",
    },
    {
        "name": "notifications",
        "description": "In-app notifications and each organisation's signed webhook.",
    },
    {
        "name": "reports",
        "description": "The department's match report (JSON, CSV, XLSX) and summary figures.",
    },
    {
        "name": "imports",
        "description": "Offers or needs from a spreadsheet (.csv, .xlsx; Vietnamese headers): a "
        "dry run by default, then all or nothing; templates to fill in.",
    },
    {
        "name": "audit",
        "description": "The append-only record of the department's decisions and of every "
        "mutation (department only).",
    },
    {
        "name": "reference data",
        "description": "Vietnam's S&T field classification, the 34 provinces and the enums "
        "that forms are built from.",
    },
    {
        "name": "operations",
        "description": "Liveness and readiness probes for the orchestrator.",
    },
]

SECURITY_SCHEMES: dict[str, Any] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `POST /api/v1/auth/token`: `Authorization: Bearer tm_…`.",
    },
    "apiKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An organisation's API key (member rights), made by its admin under "
        "`/api/v1/organizations/{id}/api-keys`.",
    },
}

POLICY_TEXT = {
    "public": "Anyone, without credentials; a presented credential must be valid.",
    "authenticated": "Any signed-in user or API key; the service checks ownership.",
    "department": "Department staff only.",
    "org_admin_or_department": "An organisation's admin, or the department.",
    "organization_user": "Users of an organisation (not the department).",
}

TITLES = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    422: "Validation failed",
    429: "Too many requests",
    503: "Service unavailable",
}
DESCRIPTIONS = {
    401: "No credentials, or an invalid, expired or revoked token or key.",
    403: "Authenticated, but this caller may not do this.",
    404: "Missing, or not visible to the caller.",
    409: "Not allowed in the object's current state.",
    412: "The `If-Match` version is stale; nothing was changed.",
    413: "The request body is too large.",
    422: "The request is not valid; `errors` lists each problem (input is never echoed).",
    429: "Too many attempts; retry after `Retry-After` seconds.",
    503: "Not ready: the database does not answer or its schema is not at the latest migration.",
}
EXAMPLE_DETAILS = {
    401: "Authentication required.",
    403: "Your role does not allow this action.",
    404: "No such resource.",
    409: "Cannot publish a offer in status 'draft'.",
    412: "The resource has changed (version 3); read it again.",
    413: "The request body exceeds 1048576 bytes.",
    422: "The request is not valid; see 'errors'.",
    429: "Too many failed sign-in attempts.",
    503: "The database schema is at 0002, not at 0003: run 'techmatch db upgrade'.",
}

# Field names → a realistic value, used when an example is built from a schema.
SAMPLES: dict[str, Any] = {
    "id": "0b6f4c7e-5d2a-4e59-9a51-2f1c8d7e6a10",
    "organization_id": "7d1e2c3b-8a9f-4b6c-9d0e-1f2a3b4c5d6e",
    "title": "Máy sấy bơm nhiệt cho chè xanh",
    "summary": "Sấy ở nhiệt độ thấp, giữ màu và hương chè.",
    "description": "Thiết bị sấy ở nhiệt độ thấp, tiết kiệm 40% điện năng so với lò đốt củi.",
    "keywords": ["máy sấy", "bơm nhiệt", "chè"],
    "field_code": "203",
    "province_code": "25",
    "name": "Viện Công nghệ Sau thu hoạch Trung du",
    "organization_name": "Viện Công nghệ Sau thu hoạch Trung du",
    "full_name": "Nguyễn Văn An",
    "contact_name": "Nguyễn Thị Hoa",
    "email": "quantri@vien.example.vn",
    "contact_email": "lienhe@vien.example.vn",
    "contact_phone": "0210 3846 215",
    "tax_code": "0100233488",
    "address": "Số 1 Hùng Vương, Việt Trì, Phú Thọ",
    "website": "https://vien.example.vn",
    "password": "mat-khau-manh-123",
    "old_password": "mat-khau-cu-123",
    "new_password": "mat-khau-moi-456",
    "username": "quantri@vien.example.vn",
    "access_token": "tm_3q8Zy0…",
    "token_type": "bearer",
    "expires_in": 43200,
    "trl": 7,
    "desired_trl_min": 6,
    "price_min_vnd": 200_000_000,
    "price_max_vnd": 400_000_000,
    "budget_max_vnd": 500_000_000,
    "transfer_forms": ["licence"],
    "reason": "Thiếu thông tin về quyền sở hữu trí tuệ.",
    "message": "Chúng tôi quan tâm đến công nghệ này.",
    "score": 0.82,
    "shared_terms": ["máy sấy", "chè"],
    "notes": ["TRL 7 ≥ yêu cầu 6", "Cùng lĩnh vực: Kỹ thuật cơ khí"],
    "version": 1,
    "total": 1,
    "limit": 20,
    "offset": 0,
}
