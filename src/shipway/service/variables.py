"""Names of the environment variables a service receives (docs/wiring.md)."""

from __future__ import annotations


def variable_stem(name: str) -> str:
    """`users-import` -> `USERS_IMPORT`."""
    return name.upper().replace("-", "_")


def service_url_variable(name: str) -> str:
    return f"SERVICE_{variable_stem(name)}_URL"
