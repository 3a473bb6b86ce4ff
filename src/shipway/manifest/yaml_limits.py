"""Limits that keep hostile YAML cheap: checked on the text and the event stream, before any
node is built (building recurses per level and expands every alias)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)

MAX_DEPTH = 64
"""Nested mappings and lists; a manifest needs about eight."""
MAX_NODES = 20_000
"""Values after every alias is expanded; a large manifest has a few thousand."""
STANDARD_TAG = "tag:yaml.org,2002:"
# YAML allows tab, line feed, carriage return and printable characters (and NEL, U+0085).
NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)

DEEP_FLOW_RUN = re.compile(r"(?:[\[{]\s*){" + str(MAX_DEPTH + 1) + "}")
Problem = tuple[int, int, str]
"""(line, column, message), 1-based."""


def check_characters(text: str) -> Problem | None:
    """The first character YAML does not allow (NUL, ESC, DEL, ...), located."""
    found = NOT_PRINTABLE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return (
        line,
        column,
        f"non-printable character U+{ord(found.group()):04X}: a manifest is plain text; remove it",
    )


def check_structure(text: str) -> Problem | None:
    """Nesting too deep, aliases that expand too far, or a custom tag, located; else None."""
    # The scanner looks far ahead inside deep flow nesting ([[[[...), which makes a long run
    # of openers slow to walk; the text up to the run is enough to tell (and fast).
    run = DEEP_FLOW_RUN.search(text)
    if run is not None and (problem := _walk(text[: run.end()])) and "nested" in problem[2]:
        return problem
    return _walk(text)


def _walk(text: str) -> Problem | None:
    walk = _Walk()
    try:
        for event in YAML(typ="rt").parse(text):
            if problem := walk.see(event):
                return problem
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return line, column, f"YAML syntax error: {error.problem or error.context or 'invalid'}"
    except YAMLError as error:
        return 1, 1, f"YAML error: {str(error).splitlines()[0]}"
    return None


@dataclass
class _Open:
    """A collection whose end has not been seen yet."""

    anchor: str | None
    size: int = 1


class _Walk:
    """Counts each node as it will be built: nesting depth, and values with aliases expanded."""

    def __init__(self) -> None:
        self.open: list[_Open] = []
        self.anchored: dict[str, int] = {}
        self.defined: dict[str, int] = {}  # anchor: the line it was defined on
        self.total = 0

    def see(self, event: object) -> Problem | None:
        if isinstance(event, NodeEvent) and (
            problem := _tag_problem(event) or self._anchor_problem(event)
        ):
            return problem
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            self.open.append(_Open(event.anchor))
            if len(self.open) > MAX_DEPTH:
                return _at(event, f"nested more than {MAX_DEPTH} levels deep: not a manifest")
            return self._count(event, 1)
        if isinstance(event, ScalarEvent):
            if event.anchor:
                self.anchored[event.anchor] = 1
            return self._add(event, 1)
        if isinstance(event, AliasEvent):
            return self._add(event, self.anchored.get(str(event.anchor), 1))
        if isinstance(event, CollectionEndEvent) and self.open:
            closed = self.open.pop()
            if closed.anchor:
                self.anchored[closed.anchor] = closed.size
            if self.open:
                self.open[-1].size += closed.size
        return None

    def _anchor_problem(self, event: NodeEvent) -> Problem | None:
        anchor = None if isinstance(event, AliasEvent) else event.anchor
        if anchor is None:
            return None
        if anchor in self.defined:
            line = self.defined[anchor]
            return _at(
                event,
                f"anchor &{anchor} is defined twice (first on line {line}): give "
                "each anchor its own name",
            )
        self.defined[anchor] = event.start_mark.line + 1 if event.start_mark else 0
        return None

    def _add(self, event: NodeEvent, size: int) -> Problem | None:
        if self.open:
            self.open[-1].size += size
        return self._count(event, size)

    def _count(self, event: NodeEvent, size: int) -> Problem | None:
        self.total += size
        if self.total > MAX_NODES:
            return _at(
                event,
                f"aliases expand this manifest past {MAX_NODES:,} values: not a manifest "
                "(a '*name' repeats everything its '&name' holds)",
            )
        return None


def _tag_problem(event: NodeEvent) -> Problem | None:
    tag = getattr(event, "tag", None)
    if tag is None or tag in {"!", "?"} or str(tag).startswith(STANDARD_TAG):
        return None
    return _at(event, f"the YAML tag {tag} is not supported: write the plain value")


def _at(event: NodeEvent, message: str) -> Problem:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) + (message,) if mark else (1, 1, message)
