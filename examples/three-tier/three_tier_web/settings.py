"""The web tier's configuration, read from environment variables."""

from __future__ import annotations

from pydantic import AnyHttpUrl, Field
from service_runtime import ServiceSettings

SERVICE = "web"
VERSION = "1.0.0"


class WebSettings(ServiceSettings):
    """Environment of the web service."""

    port: int = Field(8080, ge=1024, le=65535, description="TCP port to listen on")
    service_api_url: AnyHttpUrl = Field(description="base URL of the api service")
    api_timeout_seconds: float = Field(
        2.0, gt=0, le=30, description="timeout of each call to the api"
    )
    page_cache_seconds: float = Field(
        1.0, ge=0, le=300, description="how long a rendered page is reused (0: never)"
    )
    max_items: int = Field(500, ge=1, le=10_000, description="most items shown on the page")


def get_settings() -> WebSettings:
    """Read the web tier's settings from the environment."""
    return WebSettings()
