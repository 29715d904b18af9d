"""Settings from the environment (prefix ``TECHMATCH_``)."""

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; see the configuration table in the README."""

    model_config = SettingsConfigDict(env_prefix="TECHMATCH_", extra="ignore")

    database_url: str = "sqlite:///./techmatch.db"
    review_required: bool = True
    token_ttl_minutes: int = Field(default=12 * 60, ge=5, le=60 * 24 * 30)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    match_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    log_level: str = "INFO"
    cookie_secure: bool = True
    login_rate_limit_per_minute: int = Field(default=10, ge=1)
    webhook_allow_private: bool = False
    expiry_interval_seconds: float = Field(default=600, gt=0)
    webhook_worker: bool = True
    webhook_worker_interval_seconds: float = Field(default=5.0, ge=0.1, le=3600)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    password_reset_ttl_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "techmatch@localhost"
    smtp_starttls: bool = True

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("TECHMATCH_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
