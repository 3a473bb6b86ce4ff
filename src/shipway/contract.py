"""The contract the cloud side, the runtime side and `shipway dev` share (docs/wiring.md).

Which variable carries which manifest name, the key types and file formats the loader accepts,
where it writes its reports, and how a table's key schema travels to it. Pure standard library:
the loader's Lambda bundle ships this module, and neither the CDK nor pydantic is imported here.
"""

from __future__ import annotations

import json
from typing import Literal, get_args

KeyType = Literal["S", "N", "B"]
"""DynamoDB scalar key types: string, number, binary."""
LoaderFormat = Literal["auto", "dynamodb_json", "json", "jsonl"]
"""How the loader reads an uploaded object."""

KEY_TYPES: tuple[KeyType, ...] = get_args(KeyType)
LOADER_FORMATS: tuple[LoaderFormat, ...] = get_args(LoaderFormat)
REPORT_PREFIX = "reports/"
"""Where the loader writes rejection reports in its bucket (and never loads from)."""

PORT_VARIABLE = "PORT"
HOST_VARIABLE = "HOST"
REDIS_URL_VARIABLE = "REDIS_URL"
AWS_ENDPOINT_URL_VARIABLE = "AWS_ENDPOINT_URL"
LOADER_TABLE_VARIABLE = "TABLE_NAME"
LOADER_KEY_SCHEMA_VARIABLE = "KEY_SCHEMA"
LOADER_FORMAT_VARIABLE = "LOADER_FORMAT"
LOADER_REPORT_PREFIX_VARIABLE = "REPORT_PREFIX"


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


def queue_url_variable(queue: str) -> str:
    """`order-events` -> `QUEUE_ORDER_EVENTS_URL`: the queue's URL."""
    return f"QUEUE_{variable_part(queue)}_URL"


def topic_arn_variable(topic: str) -> str:
    """`orders` -> `TOPIC_ORDERS_ARN`: the topic's ARN, to publish to."""
    return f"TOPIC_{variable_part(topic)}_ARN"


def identity_variables(app: str, environment: str, service: str) -> dict[str, str]:
    """`SHIPWAY_APP`, `SHIPWAY_ENV` and `SHIPWAY_SERVICE`."""
    return {"SHIPWAY_APP": app, "SHIPWAY_ENV": environment, "SHIPWAY_SERVICE": service}


def physical_name(app: str, environment: str, name: str) -> str:
    """`<app>-<env>-<name>`, lower-case: valid for tables, buckets and queues alike."""
    return f"{app}-{environment}-{name}".lower()


KeyDocument = dict[str, str]


def key_schema_json(partition_key: KeyDocument, sort_key: KeyDocument | None) -> str:
    """The loader's `KEY_SCHEMA`: `{"partition_key": {"name", "type"}, "sort_key": ...}`."""
    return json.dumps({"partition_key": partition_key, "sort_key": sort_key})


def loader_variables(
    *, table_name: str, key_schema: str, format: LoaderFormat, report_prefix: str = REPORT_PREFIX
) -> dict[str, str]:
    """The loader's `TABLE_NAME`, `KEY_SCHEMA`, `LOADER_FORMAT` and `REPORT_PREFIX`."""
    return {
        LOADER_TABLE_VARIABLE: table_name,
        LOADER_KEY_SCHEMA_VARIABLE: key_schema,
        LOADER_FORMAT_VARIABLE: format,
        LOADER_REPORT_PREFIX_VARIABLE: report_prefix,
    }
