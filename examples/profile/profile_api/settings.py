"""Configuration read from environment variables only."""

from __future__ import annotations

from typing import Annotated

import orjson
from pydantic import Field, field_validator
from pydantic_settings import NoDecode
from service_runtime import ServiceSettings


class Settings(ServiceSettings):
    """Everything the profile service reads from its environment."""

    profile_name: str = Field(
        "Alberto Eduardo", min_length=1, max_length=200, description="Name shown on the card."
    )
    profile_hobbies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["AWS", "Kubernetes"],
        description='Hobbies: a JSON list (["AWS","Go"]) or a comma list (AWS,Go).',
    )

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
