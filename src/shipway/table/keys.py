"""A table's key schema as the loader receives it (`KEY_SCHEMA`, docs/wiring.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway import contract

if TYPE_CHECKING:
    from shipway.manifest.data import Key, TableSpec


def key_schema_json(table: TableSpec) -> str:
    """The `KEY_SCHEMA` value for table, the same in the cloud and under `shipway dev`."""
    return contract.key_schema_json(_document(table.partition_key), _optional(table.sort_key))


def _document(key: Key) -> contract.KeyDocument:
    return {"name": key.name, "type": key.type}


def _optional(key: Key | None) -> contract.KeyDocument | None:
    return None if key is None else _document(key)
