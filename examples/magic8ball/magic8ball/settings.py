"""Configuration read from environment variables only."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from service_runtime import ServiceSettings


class Settings(ServiceSettings):
    """Everything the magic8ball service reads from its environment."""

    redis_url: str = Field(
        "redis://127.0.0.1:6379/0",
        description="redis://[:password@]host:port/db, or rediss:// for TLS (ElastiCache); "
        "TLS options go in the query string, e.g. ?ssl_ca_certs=/path/ca.pem.",
    )
    redis_timeout_seconds: float = Field(
        0.5, gt=0, le=10, description="Connect and command timeout; bounds GET /ready."
    )
    fizzbuzz_interval_seconds: float = Field(
        1.0, gt=0, le=3600, description="Seconds between two FizzBuzz numbers."
    )
    fizzbuzz_counter_key: str = Field(
        "fizzbuzz:counter", min_length=1, description="Redis key of the shared counter."
    )
    fizzbuzz_ttl_seconds: int = Field(
        86400, ge=0, description="Expiry of each written number; 0 keeps them forever."
    )
    backoff_initial_seconds: float = Field(
        0.5, gt=0, description="First retry delay while Redis is unavailable."
    )
    backoff_max_seconds: float = Field(
        30.0, gt=0, description="Longest retry delay while Redis is unavailable."
    )

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise ValueError("expected redis://host:port/db or rediss://:password@host:port/db")
        return value


def load_settings() -> Settings:
    """Read the settings from the environment (raises pydantic.ValidationError)."""
    return Settings()
