"""The wiring contract (docs/wiring.md): which variable carries which manifest name.

Pure functions shared by the cloud side (the ECS task definition) and `shipway dev` (local
processes), so both inject exactly the same names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shipway.manifest.service import BucketUse, TableUse

if TYPE_CHECKING:
    from shipway.manifest import Application, ServiceSpec
    from shipway.manifest.data import Key, TableSpec

PORT_VARIABLE = "PORT"
REDIS_URL_VARIABLE = "REDIS_URL"
AWS_ENDPOINT_URL_VARIABLE = "AWS_ENDPOINT_URL"


def variable_part(name: str) -> str:
    """A manifest name as part of a variable: upper-case, `-` turned into `_`."""
    return name.upper().replace("-", "_")


def table_variable(table: str) -> str:
    """`users` -> `TABLE_USERS`: the physical table name."""
    return f"TABLE_{variable_part(table)}"


def bucket_variable(bucket: str) -> str:
    """`users-import` -> `BUCKET_USERS_IMPORT`: the bucket name."""
    return f"BUCKET_{variable_part(bucket)}"


def cache_url_variable(cache: str) -> str:
    """`session` -> `CACHE_SESSION_URL`: the Redis URL of the cache."""
    return f"CACHE_{variable_part(cache)}_URL"


def cache_host_variable(cache: str) -> str:
    """`session` -> `CACHE_SESSION_HOST` (cloud: the primary endpoint)."""
    return f"CACHE_{variable_part(cache)}_HOST"


def cache_port_variable(cache: str) -> str:
    """`session` -> `CACHE_SESSION_PORT` (cloud)."""
    return f"CACHE_{variable_part(cache)}_PORT"


def cache_auth_token_variable(cache: str) -> str:
    """`session` -> `CACHE_SESSION_AUTH_TOKEN` (cloud: an ECS secret)."""
    return f"CACHE_{variable_part(cache)}_AUTH_TOKEN"


def secret_variable(secret: str) -> str:
    """`jwt-key` -> `JWT_KEY`: the secret's value."""
    return variable_part(secret)


def secret_id_variable(secret: str) -> str:
    """`jwt-key` -> `JWT_KEY_SECRET_ID`: the secret's ARN (cloud) or name (local)."""
    return f"{variable_part(secret)}_SECRET_ID"


def service_url_variable(service: str) -> str:
    """`api` -> `SERVICE_API_URL`: the base URL of another service."""
    return f"SERVICE_{variable_part(service)}_URL"


def identity_variables(app: str, environment: str, service: str) -> dict[str, str]:
    """`SHIPWAY_APP`, `SHIPWAY_ENV` and `SHIPWAY_SERVICE`."""
    return {"SHIPWAY_APP": app, "SHIPWAY_ENV": environment, "SHIPWAY_SERVICE": service}


def physical_name(app: str, environment: str, name: str) -> str:
    """`<app>-<env>-<name>`, lower-case: valid for tables, buckets and queues alike."""
    return f"{app}-{environment}-{name}".lower()


@dataclass(frozen=True)
class ServiceUses:
    """What a service's `uses:` names, sorted by kind; access is `read` or `read_write`."""

    tables: dict[str, str] = field(default_factory=dict)
    buckets: dict[str, str] = field(default_factory=dict)
    caches: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    services: tuple[str, ...] = ()

    @property
    def redis_url_cache(self) -> str | None:
        """The cache `REDIS_URL` points at: the only cache the service uses, if exactly one."""
        return self.caches[0] if len(self.caches) == 1 else None


def service_uses(application: Application, spec: ServiceSpec) -> ServiceUses:
    """Classify `spec.uses` by what each name is in the application."""
    tables: dict[str, str] = {}
    buckets: dict[str, str] = {}
    caches: list[str] = []
    secrets: list[str] = []
    services: list[str] = []
    for use in spec.uses:
        if isinstance(use, TableUse):
            tables[use.table] = use.access
        elif isinstance(use, BucketUse):
            buckets[use.bucket] = use.access
        elif use in application.tables:
            tables[use] = "read_write"
        elif use in application.buckets:
            buckets[use] = "read_write"
        elif use in application.caches:
            caches.append(use)
        elif use in application.secrets:
            secrets.append(use)
        elif use in application.services:
            services.append(use)
    return ServiceUses(tables, buckets, tuple(caches), tuple(secrets), tuple(services))


def key_schema_json(table: TableSpec) -> str:
    """The loader's `KEY_SCHEMA` value for a table."""

    def key(value: Key | None) -> dict[str, str] | None:
        return None if value is None else {"name": value.name, "type": value.type}

    return json.dumps({"partition_key": key(table.partition_key), "sort_key": key(table.sort_key)})


def loader_variables(
    *, table_name: str, table: TableSpec, format: str, report_prefix: str = "reports/"
) -> dict[str, str]:
    """The loader's `TABLE_NAME`, `KEY_SCHEMA`, `LOADER_FORMAT` and `REPORT_PREFIX`."""
    return {
        "TABLE_NAME": table_name,
        "KEY_SCHEMA": key_schema_json(table),
        "LOADER_FORMAT": format,
        "REPORT_PREFIX": report_prefix,
    }
