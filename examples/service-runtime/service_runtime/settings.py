"""Settings every service reads from its environment; each service subclasses and adds its own."""

from __future__ import annotations

import textwrap
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class ServiceSettings(BaseSettings):
    """Where and how the process serves: address, workers, logs, timeouts."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    # 0.0.0.0 in a container (its network namespace is the boundary); shipway dev sets 127.0.0.1
    host: str = Field("0.0.0.0", description="Address to listen on.")  # noqa: S104
    port: int = Field(8080, ge=1024, le=65535, description="TCP port to listen on.")
    workers: int = Field(1, ge=1, le=64, description="Server worker processes.")
    log_level: LogLevel = Field("INFO", description="Lowest level logged: DEBUG, INFO, ...")
    access_log: bool = Field(True, description="Log one JSON line per request.")
    shutdown_timeout: int = Field(
        20, ge=1, le=120, description="Seconds in-flight requests get to finish after SIGTERM."
    )
    header_timeout_seconds: int = Field(
        65,
        ge=1,
        le=600,
        description="Seconds a client gets to send a request's headers, and an idle keep-alive "
        "connection is kept (above the load balancer's 60 s idle timeout).",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def environment_help(settings_class: type[BaseSettings]) -> str:
    """One entry per environment variable a settings class reads, with its default."""
    names = {name: name.upper() for name in settings_class.model_fields}
    width = max(map(len, names.values())) + 2
    lines = ["environment variables:"]
    for name, field in settings_class.model_fields.items():
        default = (
            "Required."
            if field.is_required()
            else f"Default: {field.get_default(call_default_factory=True)}."
        )
        lines.extend(
            textwrap.wrap(
                f"{field.description or ''} {default}",
                width=100,
                initial_indent=f"  {names[name]:<{width}}",
                subsequent_indent=" " * (width + 2),
            )
        )
    return "\n".join(lines)
