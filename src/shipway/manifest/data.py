"""Data capabilities: tables, caches, buckets with loaders, secrets, and seed data."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from shipway.contract import KeyType, LoaderFormat
from shipway.manifest.base import ManifestModel, override_model

AttributeName = Annotated[str, StringConstraints(min_length=1, max_length=255)]
OVERRIDES = "environment name: the values that differ there (merged over these)"


class Key(ManifestModel):
    """A key attribute and its DynamoDB type."""

    name: AttributeName = Field(description="attribute name")
    type: KeyType = Field("S", description="S (string), N (number) or B (binary)")


def _short_keys(data: object) -> object:
    # `partition_key: username` is short for `{name: username, type: S}`.
    if isinstance(data, dict):
        return {
            key: {"name": value}
            if key in {"partition_key", "sort_key"} and isinstance(value, str)
            else value
            for key, value in data.items()
        }
    return data


class Index(ManifestModel):
    """A global secondary index."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{3,255}$")] = Field(
        description="index name: 3 to 255 letters, digits, '_', '.', '-'"
    )
    partition_key: Key = Field(description="attribute name, or {name, type}")
    sort_key: Key | None = Field(None, description="attribute name, or {name, type}")
    projection: Literal["all", "keys_only"] = Field(
        "all", description="attributes copied into the index"
    )

    @model_validator(mode="before")
    @classmethod
    def _short_keys(cls, data: object) -> object:
        return _short_keys(data)


class TableSpec(ManifestModel):
    """A DynamoDB table, as it is in one environment."""

    partition_key: Key = Field(
        description="attribute name (a string key), or {name, type}; the same in every environment"
    )
    sort_key: Key | None = Field(
        None, description="attribute name, or {name, type}; the same in every environment"
    )
    ttl_attribute: AttributeName | None = Field(
        None, description="attribute holding an expiry time (epoch seconds)"
    )
    indexes: list[Index] = Field(
        default_factory=list, description="global secondary indexes; the same in every environment"
    )
    billing: Literal["on_demand", "provisioned"] = Field(
        "on_demand", description="pay per request, or provisioned capacity with autoscaling"
    )
    read_capacity: int = Field(5, ge=1, description="provisioned: minimum read capacity units")
    write_capacity: int = Field(5, ge=1, description="provisioned: minimum write capacity units")
    max_read_capacity: int = Field(
        100, ge=1, description="provisioned: read capacity autoscaling ceiling"
    )
    max_write_capacity: int = Field(
        100, ge=1, description="provisioned: write capacity autoscaling ceiling"
    )

    @model_validator(mode="before")
    @classmethod
    def _short_keys(cls, data: object) -> object:
        return _short_keys(data)

    @model_validator(mode="after")
    def _distinct_keys(self) -> Self:
        if self.sort_key and self.sort_key.name == self.partition_key.name:
            raise ValueError("sort_key: must differ from the partition key")
        names = [index.name for index in self.indexes]
        if len(names) != len(set(names)):
            raise ValueError("indexes: index names must be unique")
        return self


TableOverride = override_model(TableSpec, "TableOverride")


class Table(TableSpec):
    """A table with per-environment values (e.g. provisioned capacity only in prod)."""

    environments: dict[str, TableOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )


class CacheSpec(ManifestModel):
    """An ElastiCache replication group (Valkey or Redis OSS), as it is in one environment."""

    engine: Literal["valkey", "redis"] = Field("valkey", description="Valkey or Redis OSS")
    node_type: Annotated[str, StringConstraints(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] = Field(
        "cache.t4g.micro", description="ElastiCache node type, e.g. cache.t4g.micro"
    )
    replicas: int = Field(
        1, ge=0, le=5, description="read replicas; 1 or more gives Multi-AZ automatic failover"
    )
    snapshot_retention_days: int = Field(
        7, ge=0, le=35, description="days of daily snapshots kept (0: none)"
    )
    maintenance_window: str = Field(
        "sun:05:00-sun:06:00",
        pattern=r"^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$",
        description="weekly maintenance window (UTC), ddd:hh:mm-ddd:hh:mm",
    )


CacheOverride = override_model(CacheSpec, "CacheOverride")


class Cache(CacheSpec):
    """A cache with per-environment values (e.g. no replica in test, failover in prod)."""

    environments: dict[str, CacheOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )


class Loader(ManifestModel):
    """Load each uploaded object into a table."""

    table: str = Field(description="the table (from 'tables') the records go to")
    format: LoaderFormat = Field(
        "auto", description="auto (by file extension and content), dynamodb_json, json, jsonl"
    )


class BucketSpec(ManifestModel):
    """An S3 bucket, optionally with a loader into a table, as it is in one environment."""

    loader: Loader | None = Field(
        None, description="load each uploaded object into a table (S3 -> SQS -> Lambda)"
    )
    versioned: bool = Field(True, description="keep earlier versions of overwritten objects")
    expire_noncurrent_days: int = Field(
        30, ge=1, description="days before an earlier version is deleted"
    )


BucketOverride = override_model(BucketSpec, "BucketOverride")


class Bucket(BucketSpec):
    """A bucket with per-environment values."""

    environments: dict[str, BucketOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )


class GeneratedSecret(ManifestModel):
    """A random secret created by shipway."""

    length: int = Field(32, ge=16, le=4096, description="characters (letters and digits)")
    rotation_days: int | None = Field(
        None, ge=1, le=1000, description="rotate to a new random value every N days"
    )


class SecretSpec(ManifestModel):
    """A secret, as it is in one environment: generated by shipway, or an existing one."""

    generate: GeneratedSecret | None = Field(
        None, description="a random value shipway creates, e.g. {length: 48}"
    )
    existing: str | None = Field(
        None, description="an existing Secrets Manager secret: its name or ARN"
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.generate is None) == (self.existing is None):
            raise ValueError("give exactly one of 'generate: {length: 32}' or 'existing: <name>'")
        return self


SecretOverride = override_model(SecretSpec, "SecretOverride")


class Secret(SecretSpec):
    """A secret with per-environment values (e.g. generated in test, an existing one in prod:
    `environments: {prod: {generate: null, existing: prod/api-key}}`)."""

    environments: dict[str, SecretOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )


class SeedFile(ManifestModel):
    """Data loaded through a bucket's loader when `shipway dev` starts."""

    bucket: str = Field(description="a bucket (from 'buckets') that has a loader")
    file: str = Field(description="path relative to the manifest's folder")
