"""A table's local side for `shipway dev`: the same keys, indexes and TTL in the moto server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from shipway.manifest import TableSpec
    from shipway.manifest.data import Index, Key


def create_table(client: DynamoDBClient, name: str, table: TableSpec) -> None:
    """Create the table (on-demand locally) and turn on its TTL attribute."""
    arguments: dict[str, Any] = {
        "TableName": name,
        "KeySchema": key_schema(table.partition_key, table.sort_key),
        "AttributeDefinitions": attribute_definitions(table),
        "BillingMode": "PAY_PER_REQUEST",
    }
    if table.indexes:
        arguments["GlobalSecondaryIndexes"] = [global_index(index) for index in table.indexes]
    client.create_table(**arguments)
    if table.ttl_attribute:
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def key_schema(partition_key: Key, sort_key: Key | None) -> list[dict[str, str]]:
    """DynamoDB's KeySchema for a partition key and an optional sort key."""
    schema = [{"AttributeName": partition_key.name, "KeyType": "HASH"}]
    if sort_key is not None:
        schema.append({"AttributeName": sort_key.name, "KeyType": "RANGE"})
    return schema


def attribute_definitions(table: TableSpec) -> list[dict[str, str]]:
    """Each key attribute of the table and its indexes, once."""
    keys = [table.partition_key, table.sort_key]
    for index in table.indexes:
        keys += [index.partition_key, index.sort_key]
    types: dict[str, str] = {}
    for key in keys:
        if key is not None:
            types.setdefault(key.name, key.type)
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in types.items()]


def global_index(index: Index) -> dict[str, Any]:
    """A GlobalSecondaryIndexes entry."""
    return {
        "IndexName": index.name,
        "KeySchema": key_schema(index.partition_key, index.sort_key),
        "Projection": {"ProjectionType": "ALL" if index.projection == "all" else "KEYS_ONLY"},
    }
