"""Settings from the environment (prefix ``TECHMATCH_``)."""

from functools import lru_cache

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The weakest Argon2id cost accepted in production: OWASP's minimum (19 MiB, 2 iterations).
MIN_HASH_MEMORY_KIB = 19_456
MIN_HASH_TIME_COST = 2


class Settings(BaseSettings):
    """Every knob of the service; see the configuration table in the README."""

    model_config = SettingsConfigDict(env_prefix="TECHMATCH_", extra="ignore")

    database_url: str = "sqlite:///./techmatch.db"
    # Reports and the dashboard's figures may read a read replica; unset, the main database.
    reports_database_url: str | None = None
    review_required: bool = True
    token_ttl_minutes: int = Field(default=12 * 60, ge=5, le=60 * 24 * 30)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_header_bytes: int = Field(default=32_768, ge=4096, le=1_048_576)
    # Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is
    # believed; empty (the default) believes none, so the client is the TCP peer.
    trusted_proxies: str = ""
    match_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    log_level: str = "INFO"
    cookie_secure: bool = True
    login_rate_limit_per_minute: int = Field(default=10, ge=1)
    # Concurrent Argon2 hashes per process, and how long a login waits for one before 503.
    password_hash_slots: int = Field(default=2, ge=1, le=64)
    password_hash_wait_seconds: float = Field(default=5.0, ge=0, le=60)
    webhook_allow_private: bool = False
    expiry_interval_seconds: float = Field(default=600, gt=0)
    webhook_worker: bool = True
    webhook_worker_interval_seconds: float = Field(default=5.0, ge=0.1, le=3600)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Argon2id cost of new password hashes (argon2-cffi's defaults, RFC 9106 low-memory).
    password_hash_time_cost: int = Field(default=3, ge=1, le=20)
    password_hash_memory_kib: int = Field(default=65_536, ge=8, le=4_194_304)
    password_hash_parallelism: int = Field(default=4, ge=1, le=64)
    # Tests and development only: accept a cost below the production floor.
    allow_weak_password_hashing: bool = False
    password_reset_ttl_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "techmatch@localhost"
    smtp_starttls: bool = True

    @field_validator("database_url", "reports_database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("TECHMATCH_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @model_validator(mode="after")
    def _strong_password_hashing(self) -> "Settings":
        weak = (
            self.password_hash_memory_kib < MIN_HASH_MEMORY_KIB
            or self.password_hash_time_cost < MIN_HASH_TIME_COST
        )
        if weak and not self.allow_weak_password_hashing:
            raise ValueError(
                "TECHMATCH_PASSWORD_HASH_* is below the production floor "
                f"({MIN_HASH_MEMORY_KIB} KiB, {MIN_HASH_TIME_COST} iterations); "
                "set TECHMATCH_ALLOW_WEAK_PASSWORD_HASHING=true only for tests or development"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
