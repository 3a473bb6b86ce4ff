"""Configuration read from environment variables only."""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator
from service_runtime import ServiceSettings

# HS256 with a key shorter than its 256-bit output weakens the signature (RFC 7518 §3.2).
MIN_JWT_KEY_BYTES = 32


class Settings(ServiceSettings):
    """Everything the bootcamp API reads from its environment."""

    port: int = Field(8000, ge=1024, le=65535, description="TCP port to listen on.")
    table_users: str = Field(
        min_length=1, max_length=255, description="DynamoDB table of users (key: username)."
    )
    jwt_key: SecretStr | None = Field(
        None,
        description="HS256 signing key (at least 32 bytes); used when JWT_KEY_SECRET_ID "
        "is unset, or as a fallback when Secrets Manager cannot be reached.",
    )
    jwt_key_secret_id: str | None = Field(
        None,
        min_length=1,
        description="Secrets Manager id (name or ARN) of the signing key; re-read after "
        "JWT_KEY_MAX_AGE_SECONDS so a rotated key is picked up.",
    )
    jwt_key_max_age_seconds: float = Field(
        300, gt=0, le=86400, description="How long a key read from Secrets Manager is cached."
    )
    jwt_lifetime_seconds: int = Field(
        3600, ge=60, le=7 * 86400, description="Lifetime of an issued token."
    )
    scrypt_n: int = Field(
        2**15, ge=2**10, le=2**20, description="scrypt cost N (a power of two) for new hashes."
    )
    scrypt_r: int = Field(8, ge=1, le=32, description="scrypt block size r for new hashes.")
    scrypt_p: int = Field(1, ge=1, le=16, description="scrypt parallelism p for new hashes.")
    login_concurrency: int = Field(
        4,
        ge=1,
        le=64,
        description="Password hashes computed at once (each takes 128*N*r bytes of memory).",
    )
    aws_timeout_seconds: float = Field(
        3.0, gt=0, le=60, description="Connect and read timeout of DynamoDB and Secrets Manager."
    )

    @field_validator("scrypt_n")
    @classmethod
    def _power_of_two(cls, value: int) -> int:
        if value & (value - 1):
            raise ValueError("must be a power of two")
        return value

    @field_validator("jwt_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_JWT_KEY_BYTES:
            raise ValueError(f"must be at least {MIN_JWT_KEY_BYTES} bytes")
        return value

    @model_validator(mode="after")
    def _a_key_is_configured(self) -> Self:
        if self.jwt_key is None and self.jwt_key_secret_id is None:
            raise ValueError(
                "set JWT_KEY_SECRET_ID (Secrets Manager) or JWT_KEY: "
                "without a signing key no token can be issued or checked"
            )
        return self


def load_settings() -> Settings:
    """Read the settings from the environment (raises pydantic.ValidationError)."""
    return Settings()
