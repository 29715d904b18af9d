"""Password hashing (Argon2id) and opaque token secrets.

The Argon2 parameters come from the settings (``TECHMATCH_PASSWORD_HASH_*``); the process applies
them once at start-up with :func:`configure_password_hashing`. Until then the strong defaults
(argon2-cffi's, RFC 9106's low-memory profile) are used.
"""

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import Settings


@dataclass(frozen=True, slots=True)
class HashParams:
    """Argon2id cost: iterations, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int


class _Hasher:
    def __init__(self, params: HashParams) -> None:
        self.params = params
        self.hasher = PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
        )
        # Verifying against this keeps a login for an unknown e-mail as slow as a real one.
        self.dummy_hash = self.hasher.hash("techmatch-timing-equaliser")


_DEFAULT = HashParams(time_cost=3, memory_kib=65_536, parallelism=4)
_current: _Hasher | None = None


def configure_password_hashing(params: HashParams) -> None:
    """Use ``params`` for every new hash of this process (existing hashes keep theirs)."""
    global _current
    if _current is None or _current.params != params:
        _current = _Hasher(params)


def configure_from_settings(settings: Settings) -> None:
    """Apply the settings' Argon2 cost (already checked against the production floor)."""
    configure_password_hashing(
        HashParams(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
        )
    )


def _hasher() -> _Hasher:
    if _current is None:
        configure_password_hashing(_DEFAULT)
    assert _current is not None
    return _current


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password``."""
    return _hasher().hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an absent hash still costs one verification."""
    current = _hasher()
    try:
        return (
            current.hasher.verify(password_hash or current.dummy_hash, password)
            and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def new_secret(prefix: str) -> str:
    """A URL-safe secret with 256 bits of entropy and a recognisable prefix."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a token: SHA-256 hex (the secret itself has full entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()
