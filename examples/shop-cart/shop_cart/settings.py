"""The cart service's configuration, read from environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SEVEN_DAYS = 7 * 24 * 3600


class CartSettings(BaseSettings):
    """Environment of the cart service."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    host: str = Field("0.0.0.0", description="address to listen on")  # noqa: S104 - in a container
    port: int = Field(8080, ge=1024, le=65535, description="TCP port to listen on")
    table_carts: str = Field(min_length=3, max_length=255, description=(
        "DynamoDB table of carts (partition key `id`, TTL attribute `expires_at`)"))
    cart_ttl_seconds: int = Field(SEVEN_DAYS, ge=60, le=366 * 24 * 3600,
                                  description="a cart expires this long after its last write")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="lowest level logged")
    access_log: bool = Field(True, description="log one JSON line per request")
    asgi_server: Literal["granian", "uvicorn"] = Field(
        "granian", description="ASGI server (uvicorn must be installed separately)")
    workers: int = Field(1, ge=1, le=64, description="server worker processes")


def get_settings() -> CartSettings:
    """Read the cart service's settings from the environment."""
    return CartSettings()  # type: ignore[call-arg]  # pydantic-settings fills required fields


def environment_help(settings_class: type[BaseSettings]) -> str:
    """Describe the environment variables a settings class reads, for ``--help``."""
    lines = ["environment variables:"]
    for name, field in settings_class.model_fields.items():
        default = "required" if field.is_required() else f"default {field.default!r}"
        lines.append(f"  {name.upper():<22} {field.description or ''} ({default})")
    return "\n".join(lines)
