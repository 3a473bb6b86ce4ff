"""Settings every three-tier service reads from its environment."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Process settings shared by web and api; each service adds its own."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    host: str = Field("0.0.0.0", description="address to listen on")  # noqa: S104 - in a container
    port: int = Field(8080, ge=1024, le=65535, description="TCP port to listen on")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="lowest level logged")
    access_log: bool = Field(True, description="log one JSON line per request")
    asgi_server: Literal["granian", "uvicorn"] = Field(
        "granian", description="ASGI server (uvicorn must be installed separately)")
    workers: int = Field(1, ge=1, le=64, description="server worker processes")


def environment_help(settings_class: type[BaseSettings]) -> str:
    """Describe the environment variables a settings class reads, for ``--help``."""
    lines = ["environment variables:"]
    for name, field in settings_class.model_fields.items():
        default = "required" if field.is_required() else f"default {field.default!r}"
        lines.append(f"  {name.upper():<22} {field.description or ''} ({default})")
    return "\n".join(lines)
