"""docs/manifest.md: the manifest's reference, generated from the JSON Schema of its models."""

from __future__ import annotations

import json
from typing import Any

from shipway.manifest.application import Application

HEADER = """\
# shipway.yml reference

Generated from shipway's models by `shipway schema --format markdown -o docs/manifest.md`;
do not edit by hand (a test fails when this file is stale). Editors get the same as a JSON
Schema: `shipway schema -o shipway.schema.json` (`shipway init` writes it for you).

Every section entry (a service, job, table, cache, bucket, secret, queue or topic) may have
`environments:`, mapping an environment's name to the values that differ there. They are
merged over the entry's own values the same way for every section: mappings key by key,
lists and other
values replaced whole, `null` turns an optional setting off. A table's keys and indexes, a
service's `type` and a queue's or topic's `fifo` are the same in every environment.
"""


def reference_markdown() -> str:
    """The whole reference, one section per model, in the order a reader meets them."""
    schema = Application.model_json_schema()  # fields in the order the models declare them
    definitions: dict[str, Any] = schema["$defs"]
    sections = [_section("shipway.yml (top level)", schema, definitions)]
    for name in _reachable(schema, definitions):
        sections.append(_section(name, definitions[name], definitions))
    return HEADER + "\n" + "\n".join(sections)


def _reachable(schema: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    """Definitions in breadth-first order from the root, overrides left out."""
    order: list[str] = []
    queue = _refs(schema["properties"])
    while queue:
        name = queue.pop(0)
        if name in order or name.endswith("Override"):
            continue
        order.append(name)
        queue += _refs(definitions[name])
    return order


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else []
        for key, value in node.items():
            if key != "$ref":
                found += _refs(value)
        return found
    if isinstance(node, list):
        return [name for item in node for name in _refs(item)]
    return []


def _section(title: str, model: dict[str, Any], definitions: dict[str, Any]) -> str:
    lines = [f"## {title}", "", (model.get("description") or "").strip(), ""]
    lines += ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    required = set(model.get("required", []))
    for key, field in model.get("properties", {}).items():
        default = "required" if key in required else _default(field)
        description = (field.get("description") or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{key}` | {_type(field)} | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _default(field: dict[str, Any]) -> str:
    if "default" not in field:
        return ""
    value = field["default"]
    return f"`{json.dumps(value)}`" if value not in ({}, []) else "empty"


def _type(field: dict[str, Any]) -> str:
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in field:
        return " or ".join(_type(member) for member in field["anyOf"])
    if "enum" in field:
        return " \\| ".join(f"`{value}`" for value in field["enum"])
    if "const" in field:
        return f"`{field['const']}`"
    kind = field.get("type", "any")
    if kind == "array":
        return f"list of {_type(field.get('items', {}))}"
    if kind == "object":
        values: dict[str, Any] = field.get("additionalProperties") or next(
            iter(field.get("patternProperties", {}).values()), {}
        )
        return f"map of name → {_type(values)}" if values else "mapping"
    return str(kind) + _bounds(field)


def _bounds(field: dict[str, Any]) -> str:
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None:
        return f" {low}..{high}"
    if low is not None:
        return f" ≥ {low}"
    if high is not None:
        return f" ≤ {high}"
    return ""
