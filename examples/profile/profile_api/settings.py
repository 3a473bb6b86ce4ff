"""Configuration read from environment variables only."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class Settings(BaseSettings):
    """Everything the profile service reads from its environment."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    host: str = Field("0.0.0.0", description="Address to listen on.")  # noqa: S104 - container
    port: int = Field(8080, ge=1, le=65535, description="TCP port to listen on.")
    workers: int = Field(1, ge=1, le=64, description="Server worker processes.")
    log_level: LogLevel = Field("INFO", description="Minimum level of the JSON logs.")
    access_log: bool = Field(True, description="Log one JSON line per request.")
    shutdown_timeout: int = Field(
        20, ge=1, le=120, description="Seconds in-flight requests get to finish after SIGTERM.")
    profile_name: str = Field(
        "Alberto Eduardo", min_length=1, max_length=200, description="Name shown on the card.")
    profile_hobbies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["AWS", "Kubernetes"],
        description='Hobbies: a JSON list (["AWS","Go"]) or a comma list (AWS,Go).')

    @field_validator("profile_hobbies", mode="before")
    @classmethod
    def _split_hobbies(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return orjson.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]


def load_settings() -> Settings:
    """Read the settings from the environment (raises pydantic.ValidationError)."""
    return Settings()
