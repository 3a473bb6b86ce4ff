"""Turning pydantic's validation errors into located, user-worded manifest issues."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from shipway.manifest.errors import ManifestIssue, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pydantic_core import ErrorDetails

    from shipway.manifest.yaml_source import Location, Positions

_FIELD_PREFIX = re.compile(r"^([a-z_]+): (.*)$", re.DOTALL)
ACCOUNT_DIGITS = 12
SINGULAR = {
    "services": "service",
    "tables": "table",
    "caches": "cache",
    "buckets": "bucket",
    "secrets": "secret",
    "queues": "queue",
    "topics": "topic",
    "jobs": "job",
    "environments": "environment",
}


def issues_from(
    error: ValidationError,
    *,
    file: Path,
    positions: Positions,
    model: type[BaseModel],
    base: Location = (),
    data: Any = None,
    relocate: Callable[[Location], Location] | None = None,
) -> list[ManifestIssue]:
    """One issue per pydantic error, located at base + the error's location.

    relocate maps that location to where the value was written (an environment's override).
    """
    return [
        _issue(detail, file, positions, model, base, data, relocate or _same)
        for detail in error.errors()
    ]


def _same(location: Location) -> Location:
    return location


def _issue(
    detail: ErrorDetails,
    file: Path,
    positions: Positions,
    model: type[BaseModel],
    base: Location,
    data: Any,
    relocate: Callable[[Location], Location],
) -> ManifestIssue:
    location = base + _data_location(detail["loc"], data)
    message = _message(detail, model, location[len(base) :])
    if "[key]" in detail["loc"]:
        location = relocate(location)
        message = (
            f"{detail.get('input')!r} is not a valid name: use lower-case letters, digits "
            "and hyphens, starting with a letter (at most 29 characters)"
        )
        line, column = positions.of_key(location)
        return ManifestIssue(file, line, column, ".".join(map(str, location)), message)
    match = _FIELD_PREFIX.match(message)
    if match and detail["type"] == "value_error":
        # A model-level check names the field it is about; point there.
        location = (*location, match.group(1))
        message = match.group(2)
    location = relocate(location)
    if detail["type"] == "extra_forbidden":
        line, column = positions.of_key(location)
    else:
        line, column = positions.of_value(location)
    path = ".".join(str(part) for part in location)
    return ManifestIssue(file, line, column, path, message)


def _data_location(loc: tuple[int | str, ...], data: Any) -> Location:
    """Drop pydantic's union-member tags (e.g. 'TableUse', 'str') that are not in the data."""
    kept: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            kept.append(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            kept.append(part)
        elif node is None or not isinstance(node, dict | list):
            break
        elif isinstance(node, dict) and detail_is_missing_key(part):
            kept.append(part)
            break
    return tuple(kept)


def detail_is_missing_key(part: int | str) -> bool:
    return isinstance(part, str) and part.islower() and "[" not in part


def _message(detail: ErrorDetails, model: type[BaseModel], location: Location) -> str:
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        key = str(location[-1]) if location else "?"
        allowed = _allowed_keys(model, location[:-1])
        hint = did_you_mean(key, allowed)
        listing = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
        return f"unknown key '{key}'{hint}{listing}"
    if kind == "missing":
        return "required, but missing"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed (allowed: {expected.replace(' or ', ', ')})"
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not valid here ({_described(model, location)})"
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return _number_for_string(value, location)
    if kind in {"model_type", "dict_type"} and not isinstance(value, dict):
        return _not_a_mapping(model, location, value)
    return f"{detail['msg'][0].lower()}{detail['msg'][1:]} (got {value!r})"


def _number_for_string(value: float, location: Location) -> str:
    message = f'{value} reads as a number in YAML, but text is expected here: quote it ("{value}")'
    if location and location[-1] == "account" and len(str(value)) < ACCOUNT_DIGITS:
        message += "; YAML drops an unquoted account's leading zeros, so write all 12 digits"
    return message


def _not_a_mapping(model: type[BaseModel], location: Location, value: object) -> str:
    kind = "a list" if isinstance(value, list) else f"{value!r}"
    message = f"expected a mapping of settings (key: value), got {kind}"
    if len(location) >= 2 and isinstance(location[-2], str) and location[-2] in SINGULAR:
        entry, key = SINGULAR[location[-2]], str(location[-1])
        target = _model_at(model, location)
        if target is not None and key in target.model_fields:
            message += (
                f"; '{key}' reads as the name of a {entry} here: did you mean to indent "
                f"'{key}' under the {entry}?"
            )
    return message


def _described(model: type[BaseModel], location: Location) -> str:
    field = _field_at(model, location)
    description = field.description if field is not None else None
    return description or "see 'shipway schema' for the allowed form"


def _allowed_keys(model: type[BaseModel], location: Location) -> list[str]:
    target = _model_at(model, location)
    return list(target.model_fields) if target is not None else []


def _model_at(model: type[BaseModel], location: Location) -> type[BaseModel] | None:
    current: Any = model
    for part in location:
        current = _step(current, part)
        if current is None:
            return None
    return _as_model(current)


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one level below annotation, following a field name, key or index."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field is not None else None
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin is dict:
        return arguments[1]
    if origin is list:
        return arguments[0]
    for argument in arguments:  # a union: the first member that has this part
        found = _step(argument, part)
        if found is not None:
            return found
    return None


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _as_model(argument)
        if found is not None:
            return found
    return None


def _field_at(model: type[BaseModel], location: Location) -> Any:
    parent = _model_at(model, location[:-1]) if location else None
    if parent is None or not location:
        return None
    return parent.model_fields.get(str(location[-1]))
