"""Turning pydantic's validation errors into located, user-worded manifest issues."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from shipway.manifest.errors import ManifestIssue, did_you_mean

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic_core import ErrorDetails

    from shipway.manifest.yaml_source import Location, Positions

_FIELD_PREFIX = re.compile(r"^([a-z_]+): (.*)$", re.DOTALL)


def issues_from(
    error: ValidationError,
    *,
    file: Path,
    positions: Positions,
    model: type[BaseModel],
    base: Location = (),
    data: Any = None,
) -> list[ManifestIssue]:
    """One issue per pydantic error, located at base + the error's location."""
    return [_issue(detail, file, positions, model, base, data) for detail in error.errors()]


def _issue(
    detail: ErrorDetails,
    file: Path,
    positions: Positions,
    model: type[BaseModel],
    base: Location,
    data: Any,
) -> ManifestIssue:
    location = base + _data_location(detail["loc"], data)
    message = _message(detail, model, location)
    if "[key]" in detail["loc"]:
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
    return f"{detail['msg'][0].lower()}{detail['msg'][1:]} (got {value!r})"


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
