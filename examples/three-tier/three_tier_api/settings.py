"""The api's configuration, read from environment variables."""

from __future__ import annotations

from pydantic import Field
from service_runtime import ServiceSettings

SERVICE = "api"
VERSION = "1.0.0"


class ApiSettings(ServiceSettings):
    """Environment of the api service."""

    port: int = Field(8000, ge=1024, le=65535, description="TCP port to listen on.")
    table_items: str = Field(
        min_length=3,
        max_length=255,
        description="DynamoDB table holding the items (partition key `key`).",
    )


def get_settings() -> ApiSettings:
    """Read the api's settings from the environment."""
    return ApiSettings()
