"""Who is making a request, as the services see it."""

from dataclasses import dataclass

DEPARTMENT = "department"
ORG_ADMIN = "org_admin"
ORG_MEMBER = "org_member"
ROLES = (DEPARTMENT, ORG_ADMIN, ORG_MEMBER)


@dataclass(frozen=True)
class Actor:
    """An authenticated caller: a user, or an organisation's API key (``user_id`` None)."""

    organization_id: str
    role: str
    user_id: str | None = None
    token_id: str | None = None
    api_key_id: str | None = None

    @property
    def is_department(self) -> bool:
        return self.role == DEPARTMENT

    def acts_for(self, organization_id: str | None) -> bool:
        """Whether the caller belongs to ``organization_id``."""
        return organization_id is not None and self.organization_id == organization_id

    def may_manage(self, organization_id: str | None) -> bool:
        """Own organisation's data, or the department, which moderates everything."""
        return self.is_department or self.acts_for(organization_id)
