"""Password hashing (Argon2id) and opaque token secrets.

The Argon2 parameters come from the settings (``TECHMATCH_PASSWORD_HASH_*``); the process applies
them once at start-up with :func:`configure_password_hashing`. Until then the strong defaults
(argon2-cffi's, RFC 9106's low-memory profile) are used.
"""

import hashlib
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import Settings
from app.errors import ServiceUnavailable


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
        return _hasher().hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an absent hash still costs one verification."""
    current = _hasher()
    with gate.slot():
        try:
            matched = current.hasher.verify(password_hash or current.dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return matched and password_hash is not None


def new_secret(prefix: str) -> str:
    """A URL-safe secret with 256 bits of entropy and a recognisable prefix."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a token: SHA-256 hex (the secret itself has full entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()
