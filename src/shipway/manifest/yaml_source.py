"""YAML loading that keeps every node's position, refuses duplicate keys, and stays safe on
hostile input: a size cap, printable characters only, bounded nesting and alias expansion."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from shipway.manifest.errors import ManifestError, ManifestIssue
from shipway.manifest.yaml_limits import check_characters, check_structure

Location = tuple[str | int, ...]
MAX_BYTES = 1024 * 1024
"""Manifests are a few kilobytes; a megabyte is room to spare and bounds every later step."""


@dataclass
class Positions:
    """Line and column (1-based) of each key and value, by path from the document root."""

    keys: dict[Location, tuple[int, int]] = field(default_factory=dict)
    values: dict[Location, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, location: Location) -> tuple[int, int]:
        """Where the value at location starts, or the nearest enclosing node's position."""
        return self._nearest(location, self.values, self.keys)

    def of_key(self, location: Location) -> tuple[int, int]:
        """Where the key that names location starts, or the nearest enclosing one."""
        return self._nearest(location, self.keys, self.values)

    @staticmethod
    def _nearest(
        location: Location,
        first: dict[Location, tuple[int, int]],
        second: dict[Location, tuple[int, int]],
    ) -> tuple[int, int]:
        for end in range(len(location), -1, -1):
            prefix = location[:end]
            for table in (first, second):
                if prefix in table:
                    return table[prefix]
        return (1, 1)


@dataclass
class YamlDocument:
    """Plain Python data from a YAML file plus where each part of it was written."""

    path: Path
    data: Any
    positions: Positions


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse path; raise ManifestError located at whatever is wrong with it."""
    if path.is_dir():
        raise _single(path, 1, 1, "is a folder: give the manifest file (e.g. -f shipway.yml)")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _single(path, 1, 1, "file not found: create one with 'shipway init'") from None
    except OSError as error:
        raise _single(path, 1, 1, f"cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise _single(path, 1, 1, f"is larger than {MAX_BYTES // 1024} KiB: not a manifest")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _offset_position(raw, error.start)
        raise _single(path, line, column, f"not UTF-8 text ({error.reason})") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text that came from path."""
    text = text.removeprefix("\ufeff")
    if problem := check_characters(text) or check_structure(text):
        line, column, message = problem
        raise _single(path, line, column, message)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        root = yaml.load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        key = str(error.problem).split('"')[1] if '"' in str(error.problem) else "key"
        raise _single(
            path,
            mark.line + 1,
            mark.column + 1,
            f"duplicate key '{key}': each name may appear once",
        ) from None
    except MarkedYAMLError as error:
        raise _syntax(path, error) from None
    except YAMLError as error:  # unmarked: point at the start
        raise _single(path, 1, 1, f"YAML error: {str(error).splitlines()[0]}") from None
    positions = Positions()
    return YamlDocument(path=path, data=_plain(root, (), positions), positions=positions)


def _syntax(path: Path, error: MarkedYAMLError) -> ManifestError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    return _single(path, line, column, f"YAML syntax error: {problem}")


def _plain(node: Any, location: Location, positions: Positions) -> Any:
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*location, str(key))
            key_line, key_column, value_line, value_column = _position(node, key)
            positions.keys[child] = (key_line + 1, key_column + 1)
            positions.values[child] = (value_line + 1, value_column + 1)
            result[str(key) if key is not None else "null"] = _plain(value, child, positions)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*location, index)
            line, column = node.lc.data[index]
            positions.values[child] = (line + 1, column + 1)
            items.append(_plain(value, child, positions))
        return items
    if hasattr(node, "__str__") and type(node).__module__.startswith("ruamel"):
        return _scalar(node)
    return node


def _position(node: CommentedMap, key: Any) -> list[int]:
    """Where key and its value were written; a key from a merge (`<<: *base`) was written
    in the mapping it was merged from."""
    if key in node.lc.data:
        return list(node.lc.data[key])
    for entry in getattr(node, "merge", []):
        source = entry[1] if isinstance(entry, tuple) else entry  # (index, map) in older ruamel
        if isinstance(source, CommentedMap) and key in source:
            return _position(source, key)
    line, column = node.lc.line or 0, node.lc.col or 0
    return [line, column, line, column]


def _scalar(node: Any) -> Any:
    # ruamel wraps some scalars (ScalarFloat, ScalarBoolean, ...); unwrap to builtins.
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def _offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def _single(path: Path, line: int, column: int, message: str) -> ManifestError:
    return ManifestError([ManifestIssue(path, line, column, "", message)])
