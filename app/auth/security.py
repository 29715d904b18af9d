"""Password hashing (Argon2id) and opaque token secrets."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are RFC 9106's low-memory profile of Argon2id.
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail close to a real one.
_DUMMY_HASH = _hasher.hash("techmatch-timing-equaliser")


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an absent hash still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_secret(prefix: str) -> str:
    """A URL-safe secret with 256 bits of entropy and a recognisable prefix."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a token: SHA-256 hex (the secret itself has full entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()
