"""The files of a build context that Docker sends: `.dockerignore` read and applied as Docker does.

Reading follows moby's ``ignorefile.ReadAll``; matching follows ``patternmatcher`` (later patterns
win, ``!`` re-includes, a pattern matching a directory excludes what is below it); walking follows
the archive code the Docker CLI sends the context with (an excluded directory is skipped unless an
exception pattern starts with it). Checked against the real Docker CLI and daemon in
tests/rehearsal/test_docker_context.py.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from shipway.image.errors import BadDockerignoreError
from shipway.image.patterns import BadPatternError, Pattern

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

EntryKind = Literal["dir", "file", "symlink"]


@dataclass(frozen=True)
class ContextEntry:
    """One path of the build context, relative to its root with '/' separators."""

    path: str
    kind: EntryKind
    absolute: str


def read_patterns(text: str) -> list[str]:
    """The patterns of a `.dockerignore` text: comments dropped, each cleaned like Docker does."""
    patterns = []
    for line in text.removeprefix("\ufeff").splitlines():
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        exclusion = pattern.startswith("!")
        if exclusion:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if exclusion else pattern)
    return patterns


class IgnoreRules:
    """Compiled patterns; `matches` answers 'is this path excluded?' as Docker does."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = [_pattern(text) for text in patterns if text.strip()]
        self.exclusions = any(pattern.exclusion for pattern in self.patterns)

    def matches(self, path: str, parent: list[bool] | None = None) -> tuple[bool, list[bool]]:
        """Whether path is excluded, and per pattern whether it matched (for its children)."""
        matched, info = False, [False] * len(self.patterns)
        for index, pattern in enumerate(self.patterns):
            match = parent[index] if parent else False
            if not match:
                if pattern.exclusion != matched:
                    continue
                match = pattern.match(path) or (not parent and _parent_matches(pattern, path))
            info[index] = match
            if match:
                matched = not pattern.exclusion
        return matched, info

    def excluded(self, path: str) -> bool:
        """Whether a path is excluded when nothing is known about its parents."""
        return self.matches(path)[0]

    def keeps_walking_into(self, directory: str) -> bool:
        """Whether an excluded directory may still hold a file an exception re-includes."""
        if not self.exclusions:
            return False
        prefix = directory + "/"
        return any(
            pattern.exclusion and (pattern.text + "/").startswith(prefix)
            for pattern in self.patterns
        )


def go_clean(path: str) -> str:
    """Go's filepath.Clean: like normpath, but '//x' becomes '/x'."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def _pattern(text: str) -> Pattern:
    text = go_clean(text.strip())
    exclusion = text.startswith("!")
    if exclusion:
        if len(text) == 1:
            raise BadPatternError('illegal exclusion pattern: "!"')
        text = text[1:]
    return Pattern(text, exclusion=exclusion)


def _parent_matches(pattern: Pattern, path: str) -> bool:
    parts = posixpath.dirname(path).split("/")
    if parts == [""]:
        return False
    return any(pattern.match("/".join(parts[: i + 1])) for i in range(len(parts)))


def context_rules(context: Path, dockerfile: Path) -> IgnoreRules:
    """The rules of context/.dockerignore (none when it is absent).

    The Docker CLI sends the Dockerfile and `.dockerignore` even when they are excluded, but the
    builder drops them again before COPY sees the context, so they are not kept here either; the
    content tag hashes the Dockerfile on its own.
    """
    return _rules_in(context / ".dockerignore")


def _rules_in(ignore_file: Path) -> IgnoreRules:
    text = ignore_file.read_text(encoding="utf-8") if ignore_file.is_file() else ""
    try:
        return IgnoreRules(read_patterns(text))
    except BadPatternError as error:
        raise BadDockerignoreError(
            f"{ignore_file}: {error}; fix the pattern (Docker would refuse it too)"
        ) from None


def sent_entries(context: Path, dockerfile: Path) -> list[ContextEntry]:
    """What any engine may send: `.dockerignore` applied, and the other ignore files too.

    Docker's legacy builder reads only `.dockerignore`; BuildKit reads `<Dockerfile>.dockerignore`
    beside the Dockerfile instead when there is one, Podman and Buildah `.containerignore`. Each
    engine sends a subset of the union, so a tag over the union misses no change whichever builds.
    """
    rule_sets = [context_rules(context, dockerfile)]
    for other in (
        dockerfile.with_name(dockerfile.name + ".dockerignore"),
        context / ".containerignore",
    ):
        if other.is_file():
            rule_sets.append(_rules_in(other))
    if len(rule_sets) == 1:
        return list(context_entries(context, rule_sets[0]))
    union: dict[str, ContextEntry] = {}
    for rules in rule_sets:
        for entry in context_entries(context, rules):
            union.setdefault(entry.path, entry)
    # the order of a walk: names sorted per directory, a directory before what it holds
    return sorted(union.values(), key=lambda entry: entry.path.split("/"))


def context_entries(context: Path, rules: IgnoreRules) -> Iterator[ContextEntry]:
    """Every entry Docker sends from context, in a stable order (names sorted per directory)."""
    yield from _walk(str(context), "", rules, None)


def _walk(
    root: str, relative: str, rules: IgnoreRules, parent: list[bool] | None
) -> Iterator[ContextEntry]:
    with os.scandir(os.path.join(root, relative) if relative else root) as listing:
        children = sorted(listing, key=lambda entry: entry.name)
    for child in children:
        path = f"{relative}/{child.name}" if relative else child.name
        excluded, info = rules.matches(path, parent)
        kind = _kind(child)
        if kind is None:
            continue  # sockets, FIFOs, devices: nothing a build copies
        if not excluded:
            yield ContextEntry(path, kind, child.path)
        if kind == "dir" and (not excluded or rules.keeps_walking_into(path)):
            yield from _walk(root, path, rules, info)


def _kind(entry: os.DirEntry[str]) -> EntryKind | None:
    if entry.is_symlink():
        return "symlink"
    if entry.is_dir():
        return "dir"
    if entry.is_file():
        return "file"
    return None
