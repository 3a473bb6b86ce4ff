"""The manifest's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

import json

from shipway.manifest.application import Application


def schema_json() -> str:
    """JSON Schema (draft 2020-12) of shipway.yml."""
    schema = Application.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "shipway.yml"
    return json.dumps(schema, indent=2, sort_keys=True)
