"""What the loader needs to know: the target table, its key schema, the file format."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from shipway.contract import KEY_TYPES, LOADER_FORMATS, REPORT_PREFIX, KeyType
from shipway.contract import LOADER_FORMAT_VARIABLE as FORMAT
from shipway.contract import LOADER_KEY_SCHEMA_VARIABLE as KEY_SCHEMA
from shipway.contract import LOADER_REPORT_PREFIX_VARIABLE as PREFIX
from shipway.contract import LOADER_TABLE_VARIABLE as TABLE
from shipway.contract import LoaderFormat as Format
from shipway.loader.errors import LoaderConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

FORMATS = LOADER_FORMATS
DEFAULT_REPORT_PREFIX = REPORT_PREFIX


@dataclass(frozen=True)
class KeyAttribute:
    """One key attribute of the table: its name and DynamoDB scalar type."""

    name: str
    type: KeyType

    def __post_init__(self) -> None:
        if not self.name:
            raise LoaderConfigError("a key attribute needs a non-empty name")
        if self.type not in KEY_TYPES:
            raise LoaderConfigError(
                f"key attribute '{self.name}' has type {self.type!r}; use one of S, N, B"
            )


@dataclass(frozen=True)
class KeySchema:
    """The table's primary key: a partition key and an optional sort key."""

    partition_key: KeyAttribute
    sort_key: KeyAttribute | None = None

    def __post_init__(self) -> None:
        if self.sort_key is not None and self.sort_key.name == self.partition_key.name:
            raise LoaderConfigError(
                f"the sort key and the partition key are both '{self.sort_key.name}'"
            )

    @property
    def attributes(self) -> tuple[KeyAttribute, ...]:
        """The key attributes, partition key first."""
        return (
            (self.partition_key,) if self.sort_key is None else (self.partition_key, self.sort_key)
        )

    @classmethod
    def from_json(cls, text: str) -> KeySchema:
        """Parse ``{"partition_key": {"name": ..., "type": ...}, "sort_key": null}``."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise LoaderConfigError(
                f"KEY_SCHEMA is not JSON ({error}); expected "
                '{"partition_key": {"name": "id", "type": "S"}}'
            ) from None
        if not isinstance(document, dict):
            raise LoaderConfigError("KEY_SCHEMA must be a JSON object with a partition_key")
        sort_key = document.get("sort_key")
        return cls(
            partition_key=_key_attribute(document.get("partition_key"), "partition_key"),
            sort_key=None if sort_key is None else _key_attribute(sort_key, "sort_key"),
        )

    def to_json(self) -> str:
        """The inverse of ``from_json``: the value for the KEY_SCHEMA variable."""

        def attribute(key: KeyAttribute | None) -> dict[str, str] | None:
            return None if key is None else {"name": key.name, "type": key.type}

        return json.dumps(
            {"partition_key": attribute(self.partition_key), "sort_key": attribute(self.sort_key)}
        )


def _key_attribute(value: object, role: str) -> KeyAttribute:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise LoaderConfigError(f'KEY_SCHEMA.{role} must look like {{"name": "id", "type": "S"}}')
    return KeyAttribute(name=value["name"], type=cast("KeyType", value.get("type")))


@dataclass(frozen=True)
class LoaderConfig:
    """Where records go and how the uploaded file is read."""

    table_name: str
    key_schema: KeySchema
    format: Format = "auto"
    report_prefix: str = DEFAULT_REPORT_PREFIX

    def __post_init__(self) -> None:
        if not self.table_name:
            raise LoaderConfigError("the loader needs a table name (TABLE_NAME)")
        if self.format not in FORMATS:
            raise LoaderConfigError(
                f"LOADER_FORMAT is {self.format!r}; use one of {', '.join(FORMATS)}"
            )
        if not self.report_prefix:
            # An empty prefix would make every key look like a report and nothing would load.
            raise LoaderConfigError("REPORT_PREFIX must not be empty; the default is 'reports/'")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> LoaderConfig:
        """Read TABLE_NAME, KEY_SCHEMA, LOADER_FORMAT and REPORT_PREFIX (see docs/wiring.md)."""
        env = os.environ if environ is None else environ
        missing = [name for name in (TABLE, KEY_SCHEMA) if not env.get(name)]
        if missing:
            raise LoaderConfigError(
                f"the loader's environment lacks {', '.join(missing)}; "
                "shipway sets them on the Lambda function"
            )
        return cls(
            table_name=env[TABLE],
            key_schema=KeySchema.from_json(env[KEY_SCHEMA]),
            format=cast("Format", env.get(FORMAT) or "auto"),
            report_prefix=env.get(PREFIX) or DEFAULT_REPORT_PREFIX,
        )

    def report_key(self, key: str) -> str:
        """The key of the rejection report for the object ``key``."""
        return f"{self.report_prefix}{key}.rejected.json"

    def is_report_key(self, key: str) -> bool:
        """True for objects the loader wrote itself; loading them would loop."""
        return key.startswith(self.report_prefix)
