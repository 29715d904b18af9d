"""The status lifecycle shared by offers and needs."""

from dataclasses import dataclass

DRAFT = "draft"
PENDING_REVIEW = "pending_review"
PUBLISHED = "published"
REJECTED = "rejected"
ARCHIVED = "archived"
EXPIRED = "expired"
STATUSES = (DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, ARCHIVED, EXPIRED)
EDITABLE = frozenset({DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, EXPIRED})


@dataclass(frozen=True)
class Transition:
    """An action, the statuses it may start from, and where it leads."""

    action: str
    sources: frozenset[str]
    target: str


SUBMIT = Transition("submit", frozenset({DRAFT, REJECTED, EXPIRED}), PENDING_REVIEW)
PUBLISH = Transition("publish", frozenset({PENDING_REVIEW}), PUBLISHED)
# The department may also take a published listing down, with a reason.
REJECT = Transition("reject", frozenset({PENDING_REVIEW, PUBLISHED}), REJECTED)
ARCHIVE = Transition(
    "archive", frozenset({DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, EXPIRED}), ARCHIVED
)
