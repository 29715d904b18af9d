"""Password hashing (Argon2id) and opaque token secrets."""

import hashlib
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import ServiceUnavailable

# argon2-cffi's defaults are RFC 9106's low-memory profile of Argon2id.
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail close to a real one.
_DUMMY_HASH = _hasher.hash("techmatch-timing-equaliser")


class HashingGate:
    """Bounds concurrent Argon2 work in this process.

    Each hash takes 64 MiB and a core for tens of milliseconds; 80 at once grew a worker by a
    gigabyte. Beyond ``slots`` concurrent hashes a caller waits at most ``wait_seconds``, then
    gets 503 with ``Retry-After`` instead of piling up.
    """

    def __init__(self, slots: int = 2, wait_seconds: float = 5.0) -> None:
        self.configure(slots=slots, wait_seconds=wait_seconds)

    def configure(self, *, slots: int, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        if getattr(self, "slots", None) != slots:
            self.slots = slots
            self.semaphore = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one hashing slot, or raise ``ServiceUnavailable`` after waiting."""
        semaphore = self.semaphore  # the one acquired is the one released
        if not semaphore.acquire(timeout=self.wait_seconds):
            raise ServiceUnavailable(
                "The server is busy checking passwords; retry in a moment.", retry_after=2
            )
        try:
            yield
        finally:
            semaphore.release()


gate = HashingGate()


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password``."""
    with gate.slot():
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an absent hash still costs one verification."""
    with gate.slot():
        try:
            matched = _hasher.verify(password_hash or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False
    return matched and password_hash is not None


def new_secret(prefix: str) -> str:
    """A URL-safe secret with 256 bits of entropy and a recognisable prefix."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a token: SHA-256 hex (the secret itself has full entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()
