"""Writing the audit log: every flushed change to an audited table, and explicit events.

A listener on every ``Session`` turns each flushed insert, update and delete into an entry, so
no service can forget to audit a mutation. The actor is the one the route's ``Policy`` put in
``session.info`` (``"cli"`` or ``"system"`` otherwise). Entries go in with a Core insert in the
same transaction: a rolled-back change leaves no entry, a committed one always has its entry.
"""

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.base import PASSIVE_NO_INITIALIZE

from app.audit.models import AuditEntry
from app.db import utcnow
from app.ids import new_id

if TYPE_CHECKING:  # the audit log sits below identity; it only reads the actor's fields
    from app.auth.actor import Actor

ACTOR_KEY = "audit_actor"
_process_label = ["system"]  # "cli" inside the techmatch command
LABEL_KEY = "audit_label"

# Tables that are logs, caches or delivery state of their own: auditing them is only noise.
UNAUDITED_TABLES = frozenset(
    {
        "audit_entries",
        "access_tokens",
        "listing_changes",
        "index_state",
        "notifications",
        "webhook_deliveries",
        "contact_reveals",
    }
)
# Bookkeeping columns: a change to these alone is not a mutation anyone decided.
BOOKKEEPING = frozenset({"last_used_at", "last_login_at", "updated_at", "version"})
_DECISIONS = {"revoked_at": "revoked", "password_hash": "password_changed", "used_at": "used"}


def set_process_label(label: str) -> None:
    """Who acts when no request names an actor: ``"cli"`` for the command line."""
    _process_label[0] = label


def set_actor(session: Session, actor: "Actor | None", *, label: str | None = None) -> None:
    """Attribute the session's next changes to ``actor`` (or to a named non-user actor)."""
    session.info[ACTOR_KEY] = actor
    if label is not None:
        session.info[LABEL_KEY] = label


def digest(state: dict[str, Any] | None) -> str | None:
    """SHA-256 of a state's canonical JSON (keys sorted, values as text where not JSON)."""
    if state is None:
        return None
    text = json.dumps(state, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _states(obj: Any) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    changed: list[str] = []
    mapper = inspect(obj).mapper
    # The optimistic-lock counter is bookkeeping that SQLAlchemy writes itself during the
    # flush (``version_id_col``): it is not part of the state the digests describe.
    version_key = mapper.version_id_col.key if mapper.version_id_col is not None else None
    for attr in mapper.column_attrs:
        if attr.key == version_key:
            continue
        history = get_history(obj, attr.key, passive=PASSIVE_NO_INITIALIZE)
        current = getattr(obj, attr.key, None)
        after[attr.key] = current
        if history.deleted:
            before[attr.key] = history.deleted[0]
            changed.append(attr.key)
        elif history.added and history.added[0] is not None and not history.unchanged:
            before[attr.key] = None
            changed.append(attr.key)
        else:
            before[attr.key] = current
    return before, after, changed


def _verb(obj: Any, changed: list[str], after: dict[str, Any]) -> str:
    if "status" in changed and after.get("status"):
        return str(after["status"])
    for column, verb in _DECISIONS.items():
        if column in changed and after.get(column) is not None:
            return verb
    return "update"


def _actor_columns(session: Session) -> dict[str, Any]:
    actor: Actor | None = session.info.get(ACTOR_KEY)
    label = session.info.get(LABEL_KEY) or ("user" if actor else _process_label[0])
    if actor is not None and actor.api_key_id and not actor.user_id:
        label = "api-key"
    return {
        "actor_user_id": actor.user_id if actor else None,
        "actor_api_key_id": actor.api_key_id if actor else None,
        "actor_organization_id": actor.organization_id if actor else None,
        "actor_role": actor.role if actor else None,
        "actor_label": label,
    }


def _entry(
    session: Session, obj: Any, verb: str, before: Any, after: Any, changed: list[str]
) -> dict[str, Any]:
    object_type = str(getattr(obj, "audit_name", None) or obj.__tablename__.removesuffix("s"))
    return {
        "id": new_id(),
        "at": utcnow(),
        **_actor_columns(session),
        "action": f"{object_type}.{verb}",
        "object_type": object_type,
        "object_id": str(getattr(obj, "id", "") or "") or None,
        "changed": sorted(changed),
        "before_digest": digest(before),
        "after_digest": digest(after),
        "detail": None,
    }


def _after_flush(session: Session, _context: Any) -> None:
    rows = []
    for obj in session.new:
        if getattr(obj, "__tablename__", None) not in UNAUDITED_TABLES:
            _before, after, _changed = _states(obj)
            rows.append(_entry(session, obj, "create", None, after, sorted(after)))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in UNAUDITED_TABLES:
            continue
        before, after, changed = _states(obj)
        if not set(changed) - BOOKKEEPING:
            continue
        rows.append(_entry(session, obj, _verb(obj, changed, after), before, after, changed))
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) not in UNAUDITED_TABLES:
            before, _after, _changed = _states(obj)
            rows.append(_entry(session, obj, "delete", before, None, []))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def record(
    session: Session,
    *,
    action: str,
    object_type: str,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """An explicit entry for a decision that changes no row (an export of personal data)."""
    session.connection().execute(
        insert(AuditEntry),
        [
            {
                "id": new_id(),
                "at": utcnow(),
                **_actor_columns(session),
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "changed": [],
                "before_digest": None,
                "after_digest": None,
                "detail": detail,
            }
        ],
    )


event.listen(Session, "after_flush", _after_flush)
