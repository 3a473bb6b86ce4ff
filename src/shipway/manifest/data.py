"""Data capabilities: tables, caches, buckets with loaders, secrets, and seed data."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from shipway.manifest.base import ManifestModel, override_model

AttributeName = Annotated[str, StringConstraints(min_length=1, max_length=255)]
KeyType = Literal["S", "N", "B"]


class Key(ManifestModel):
    """A key attribute and its DynamoDB type."""

    name: AttributeName
    type: KeyType = "S"


def _key(value: object) -> object:
    # `partition_key: username` is short for `{name: username, type: S}`.
    return {"name": value} if isinstance(value, str) else value


class Index(ManifestModel):
    """A global secondary index."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{3,255}$")]
    partition_key: Key
    sort_key: Key | None = None
    projection: Literal["all", "keys_only"] = "all"

    @model_validator(mode="before")
    @classmethod
    def _short_keys(cls, data: object) -> object:
        if isinstance(data, dict):
            return {
                k: _key(v) if k in {"partition_key", "sort_key"} else v for k, v in data.items()
            }
        return data


class TableSpec(ManifestModel):
    """A DynamoDB table, as it is in one environment."""

    partition_key: Key
    sort_key: Key | None = None
    ttl_attribute: AttributeName | None = None
    indexes: list[Index] = Field(default_factory=list)
    billing: Literal["on_demand", "provisioned"] = "on_demand"
    read_capacity: int = Field(5, ge=1)
    write_capacity: int = Field(5, ge=1)
    max_read_capacity: int = Field(100, ge=1)
    max_write_capacity: int = Field(100, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _short_keys(cls, data: object) -> object:
        if isinstance(data, dict):
            return {
                k: _key(v) if k in {"partition_key", "sort_key"} else v for k, v in data.items()
            }
        return data

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
        default_factory=dict, description="env name: fields whose value differs there"
    )

    def in_environment(self, environment: str) -> TableSpec:
        """The table with environment's values applied."""
        return TableSpec.model_validate(with_override(self, environment))


class CacheSpec(ManifestModel):
    """An ElastiCache replication group (Valkey or Redis OSS), as it is in one environment."""

    engine: Literal["valkey", "redis"] = "valkey"
    node_type: Annotated[str, StringConstraints(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] = (
        "cache.t4g.micro"
    )
    replicas: int = Field(1, ge=0, le=5)
    snapshot_retention_days: int = Field(7, ge=0, le=35)
    maintenance_window: str = Field(
        "sun:05:00-sun:06:00", pattern=r"^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$"
    )


CacheOverride = override_model(CacheSpec, "CacheOverride")


class Cache(CacheSpec):
    """A cache with per-environment values (e.g. no replica in test, failover in prod)."""

    environments: dict[str, CacheOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description="env name: fields whose value differs there"
    )

    def in_environment(self, environment: str) -> CacheSpec:
        """The cache with environment's values applied."""
        return CacheSpec.model_validate(with_override(self, environment))


def with_override(model: BaseModel, environment: str) -> dict[str, object]:
    """model's fields as written, with one environment's override on top."""
    base = model.model_dump(exclude_unset=True, exclude={"environments"})
    override = getattr(model, "environments", {}).get(environment)
    return {**base, **(override.model_dump(exclude_unset=True) if override else {})}


class Loader(ManifestModel):
    """Load each uploaded object into a table."""

    table: str
    format: Literal["auto", "dynamodb_json", "json", "jsonl"] = "auto"


class Bucket(ManifestModel):
    """An S3 bucket, optionally with a loader into a table."""

    loader: Loader | None = None
    versioned: bool = True
    expire_noncurrent_days: int = Field(30, ge=1)


class GeneratedSecret(ManifestModel):
    """A random secret created by shipway."""

    length: int = Field(32, ge=16, le=4096)
    rotation_days: int | None = Field(None, ge=1, le=1000)


class Secret(ManifestModel):
    """A secret: generated by shipway, or an existing one referenced by name or ARN."""

    generate: GeneratedSecret | None = None
    existing: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.generate is None) == (self.existing is None):
            raise ValueError("give exactly one of 'generate: {length: 32}' or 'existing: <name>'")
        return self


class SeedFile(ManifestModel):
    """Data loaded through a bucket's loader when `shipway dev` starts."""

    bucket: str
    file: str
