"""The loader's configuration, as the Lambda environment carries it (docs/wiring.md)."""

from __future__ import annotations

import pytest

from shipway.loader.config import KeyAttribute, KeySchema, LoaderConfig
from shipway.loader.errors import LoaderConfigError

USERS_SCHEMA = '{"partition_key": {"name": "username", "type": "S"}, "sort_key": null}'


def test_the_documented_key_schema_parses() -> None:
    assert KeySchema.from_json(USERS_SCHEMA) == KeySchema(KeyAttribute("username", "S"))


def test_a_sort_key_comes_second() -> None:
    schema = KeySchema.from_json('{"partition_key": {"name": "customer", "type": "S"}, '
                                 '"sort_key": {"name": "order", "type": "N"}}')
    assert schema.attributes == (KeyAttribute("customer", "S"), KeyAttribute("order", "N"))


def test_to_json_round_trips() -> None:
    schema = KeySchema(KeyAttribute("digest", "B"), KeyAttribute("at", "N"))
    assert KeySchema.from_json(schema.to_json()) == schema
    assert KeySchema.from_json(KeySchema.from_json(USERS_SCHEMA).to_json()).sort_key is None


@pytest.mark.parametrize(("text", "message"), [
    ("username", "KEY_SCHEMA is not JSON"),
    ("[]", "KEY_SCHEMA must be a JSON object with a partition_key"),
    ("{}", "KEY_SCHEMA.partition_key must look like"),
    ('{"partition_key": {"name": "id", "type": "BOOL"}}', "has type 'BOOL'; use one of S, N, B"),
    ('{"partition_key": {"name": "", "type": "S"}}', "needs a non-empty name"),
    ('{"partition_key": {"name": "id", "type": "S"}, "sort_key": {"name": "id", "type": "N"}}',
     "the sort key and the partition key are both 'id'"),
])
def test_a_bad_key_schema_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(LoaderConfigError, match=message):
        KeySchema.from_json(text)


def test_from_environment_applies_the_documented_defaults() -> None:
    config = LoaderConfig.from_environment({"TABLE_NAME": "users", "KEY_SCHEMA": USERS_SCHEMA})
    assert config == LoaderConfig("users", KeySchema(KeyAttribute("username", "S")), "auto",
                                  "reports/")


def test_from_environment_reads_every_variable() -> None:
    config = LoaderConfig.from_environment({
        "TABLE_NAME": "users", "KEY_SCHEMA": USERS_SCHEMA, "LOADER_FORMAT": "jsonl",
        "REPORT_PREFIX": "_rejected/"})
    assert (config.format, config.report_prefix) == ("jsonl", "_rejected/")


def test_from_environment_defaults_to_the_process_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_NAME", "from-env")
    monkeypatch.setenv("KEY_SCHEMA", USERS_SCHEMA)
    assert LoaderConfig.from_environment().table_name == "from-env"


@pytest.mark.parametrize(("environ", "message"), [
    ({}, "lacks TABLE_NAME, KEY_SCHEMA"),
    ({"TABLE_NAME": "users"}, "lacks KEY_SCHEMA"),
    ({"TABLE_NAME": "users", "KEY_SCHEMA": USERS_SCHEMA, "LOADER_FORMAT": "csv"},
     "LOADER_FORMAT is 'csv'; use one of auto, dynamodb_json, json, jsonl"),
])
def test_a_bad_environment_says_what_to_set(environ: dict[str, str], message: str) -> None:
    with pytest.raises(LoaderConfigError, match=message):
        LoaderConfig.from_environment(environ)


def test_an_empty_report_prefix_is_refused() -> None:
    with pytest.raises(LoaderConfigError, match="REPORT_PREFIX must not be empty"):
        LoaderConfig("users", KeySchema(KeyAttribute("username", "S")), report_prefix="")


def test_reports_sit_under_the_prefix_and_are_recognised() -> None:
    config = LoaderConfig("users", KeySchema(KeyAttribute("username", "S")))
    assert config.report_key("imports/users.json") == "reports/imports/users.json.rejected.json"
    assert config.is_report_key(config.report_key("users.json"))
    assert not config.is_report_key("users.json")
