"""How an environment's values apply to an entry: one mechanism for every section, pinned case
by case (in the manner of AWS Copilot's applyenv_test.go)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import pytest

from shipway.manifest import load_manifest, resolve
from shipway.manifest.merge import apply_environment, merge

if TYPE_CHECKING:
    from pathlib import Path

# (case, base, override, merged)
MERGES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("nothing to merge", {"a": 1}, {}, {"a": 1}),
    ("a scalar replaces", {"a": 1, "b": 2}, {"a": 3}, {"a": 3, "b": 2}),
    ("a new key is added", {"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
    (
        "mappings merge key by key",
        {"m": {"x": 1, "y": 2}},
        {"m": {"y": 3}},
        {"m": {"x": 1, "y": 3}},
    ),
    (
        "nested mappings merge all the way down",
        {"m": {"n": {"x": 1, "y": 2}}},
        {"m": {"n": {"y": 3}}},
        {"m": {"n": {"x": 1, "y": 3}}},
    ),
    ("a list replaces the whole list", {"l": [1, 2, 3]}, {"l": [4]}, {"l": [4]}),
    ("an empty list empties it", {"l": [1]}, {"l": []}, {"l": []}),
    ("null replaces (turns a setting off)", {"m": {"x": 1}}, {"m": None}, {"m": None}),
    (
        "null inside a mapping replaces one key",
        {"m": {"x": 1, "y": 2}},
        {"m": {"x": None}},
        {"m": {"x": None, "y": 2}},
    ),
    ("a mapping replaces a scalar", {"k": "short"}, {"k": {"name": "x"}}, {"k": {"name": "x"}}),
    ("a scalar replaces a mapping", {"k": {"name": "x"}}, {"k": "y"}, {"k": "y"}),
]


@pytest.mark.parametrize(
    ("base", "override", "merged"), [case[1:] for case in MERGES], ids=[case[0] for case in MERGES]
)
def test_merge(base: dict[str, Any], override: dict[str, Any], merged: dict[str, Any]) -> None:
    before = repr(base)
    assert merge(base, override) == merged
    assert repr(base) == before  # the entry as written is never changed


def test_apply_environment_uses_only_that_environments_override() -> None:
    entry = {"count": 1, "environments": {"prod": {"count": 3}, "test": {"count": 2}}}
    assert apply_environment(entry, "prod") == {"count": 3}
    assert apply_environment(entry, "staging") == {"count": 1}


HEAD = """\
name: shop
environments:
  test: {account: "123456789012", region: us-east-1}
  prod: {account: "123456789012", region: us-east-1}
"""

# (case, section YAML, section, entry, environment, attribute path, expected value)
SECTIONS: list[tuple[str, str, str, str, str, str, object]] = [
    (
        "service: scalar",
        "services:\n  web:\n    image: {uri: x}\n"
        "    environments: {prod: {cpu: 512, memory: 1024}}",
        "services",
        "web",
        "prod",
        "cpu",
        512,
    ),
    (
        "service: other environment keeps the entry's value",
        "services:\n  web:\n    image: {uri: x}\n"
        "    environments: {prod: {cpu: 512, memory: 1024}}",
        "services",
        "web",
        "test",
        "cpu",
        256,
    ),
    (
        "service: nested mapping merges (max kept)",
        "services:\n  web:\n    image: {uri: x}\n    autoscaling: {min: 2, max: 8, cpu: 50}\n"
        "    environments: {prod: {autoscaling: {min: 4}}}",
        "services",
        "web",
        "prod",
        "autoscaling",
        {"min": 4, "max": 8, "cpu": 50},
    ),
    (
        "service: null turns autoscaling off",
        "services:\n  web:\n    image: {uri: x}\n    autoscaling: {min: 2, max: 8}\n"
        "    environments: {test: {autoscaling: null}}",
        "services",
        "web",
        "test",
        "autoscaling",
        None,
    ),
    (
        "service: environment variables merge by name",
        "services:\n  web:\n    image: {uri: x}\n    environment: {A: '1', B: '2'}\n"
        "    environments: {prod: {environment: {B: '3'}}}",
        "services",
        "web",
        "prod",
        "environment",
        {"A": "1", "B": "3"},
    ),
    (
        "service: uses is replaced whole",
        "services:\n  web:\n    image: {uri: x}\n    uses: [users, jwt]\n"
        "    environments: {test: {uses: [users]}}\n"
        "tables: {users: {partition_key: id}}\nsecrets: {jwt: {generate: {}}}",
        "services",
        "web",
        "test",
        "uses",
        ["users"],
    ),
    (
        "table: capacity in one environment",
        "tables:\n  users:\n    partition_key: id\n"
        "    environments: {prod: {billing: provisioned, read_capacity: 20}}",
        "tables",
        "users",
        "prod",
        "read_capacity",
        20,
    ),
    (
        "table: ttl_attribute in the local (dev) environment",
        "environments_dev: true\ntables:\n  users:\n    partition_key: id\n"
        "    ttl_attribute: expires\n    environments: {dev: {ttl_attribute: gone_at}}",
        "tables",
        "users",
        "dev",
        "ttl_attribute",
        "gone_at",
    ),
    (
        "cache: replicas",
        "caches:\n  session:\n    replicas: 2\n    environments: {test: {replicas: 0}}",
        "caches",
        "session",
        "test",
        "replicas",
        0,
    ),
    (
        "bucket: versioning",
        "buckets:\n  raw:\n    versioned: true\n    environments: {test: {versioned: false}}",
        "buckets",
        "raw",
        "test",
        "versioned",
        False,
    ),
    (
        "bucket: nested loader mapping merges",
        "tables: {t: {partition_key: id}}\nbuckets:\n  raw:\n    loader: {table: t, format: json}\n"
        "    environments: {prod: {loader: {format: jsonl}}}",
        "buckets",
        "raw",
        "prod",
        "loader",
        {"table": "t", "format": "jsonl"},
    ),
    (
        "secret: generated in test, an existing one in prod",
        "secrets:\n  key:\n    generate: {length: 32}\n"
        "    environments: {prod: {generate: null, existing: prod/key}}",
        "secrets",
        "key",
        "prod",
        "existing",
        "prod/key",
    ),
    (
        "secret: nested generate mapping merges",
        "secrets:\n  key:\n    generate: {length: 32}\n"
        "    environments: {prod: {generate: {rotation_days: 30}}}",
        "secrets",
        "key",
        "prod",
        "generate",
        {"length": 32, "rotation_days": 30},
    ),
]


def _dump(value: object) -> object:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


@pytest.mark.parametrize(
    ("text", "section", "entry", "environment", "attribute", "expected"),
    [case[1:] for case in SECTIONS],
    ids=[case[0] for case in SECTIONS],
)
def test_every_section_resolves_by_the_same_rules(
    tmp_path: Path,
    text: str,
    section: str,
    entry: str,
    environment: str,
    attribute: str,
    expected: object,
) -> None:
    head = HEAD
    if text.startswith("environments_dev: true\n"):
        text = text.removeprefix("environments_dev: true\n")
        head += '  dev: {account: "123456789012", region: us-east-1}\n'
    path = tmp_path / "shipway.yml"
    path.write_text(head + textwrap.dedent(text) + "\n", encoding="utf-8")
    plan = resolve(load_manifest(path), environment)
    spec = getattr(plan, section)[entry].spec
    value = getattr(spec, attribute)
    if attribute == "uses":
        value = list(value)
    elif isinstance(expected, dict):
        value = {key: _dump(item) for key, item in _dump(value).items()}  # type: ignore[union-attr]
        value = {key: item for key, item in value.items() if key in expected}
    assert value == expected


def test_every_section_accepts_environments() -> None:
    from shipway.manifest.application import Application
    from shipway.manifest.resolve import SECTIONS as RESOLVED

    for section in RESOLVED:
        model = Application.model_fields[section.key].annotation
        entry = model.__args__[1]  # type: ignore[union-attr]  # dict[Name, Entry]
        assert "environments" in entry.model_fields, section.key
