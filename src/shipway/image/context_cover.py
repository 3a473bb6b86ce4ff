"""The context entries that COPY/ADD sources read.

A source is a path relative to the context root (a leading `/` and `..` cannot leave it; `.` is
the whole context) or, when it has `*`, `?` or `[`, a Go filepath.Match pattern matched against
whole relative paths, as Docker's legacy builder does (BuildKit matches per path element, which
never matches more). A matched directory brings everything below it. A matched symlink is followed
by Docker, so what it points at (inside the context) is read too; so is a symlinked directory a
source's path goes through.
"""

from __future__ import annotations

import os
import posixpath
from typing import TYPE_CHECKING

from shipway.image.filepath_match import filepath_match, has_wildcards

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from shipway.image.dockerignore import ContextEntry

WHOLE_CONTEXT = ""


def clean_source(source: str) -> str:
    """A source as a path below the context root ('' for the root itself)."""
    return posixpath.normpath("/" + source).lstrip("/")


def covered_entries(entries: Sequence[ContextEntry], sources: Iterable[str]) -> list[ContextEntry]:
    """The entries (in their order) that the sources read, symlinks followed."""
    selectors = {clean_source(source) for source in sources}
    targets = {entry.path: _link_target(entry) for entry in entries if entry.kind == "symlink"}
    # a path cannot go on below a link to a file; below any other link it might
    files = {entry.path for entry in entries if entry.kind == "file"}
    while True:  # each round may reach links inside what the last one's links point at
        followed = {
            link
            for link, target in targets.items()
            if _followed_by(selectors, link, through=target not in files)
        }
        reached = {targets[link] for link in followed}
        if reached <= selectors:
            break
        selectors |= reached
    if WHOLE_CONTEXT in selectors:
        return list(entries)
    return [
        entry
        for entry in entries
        if entry.path in followed or any(_covers(s, entry.path) for s in selectors)
    ]


def _covers(selector: str, path: str) -> bool:
    """Whether the selector names path or a directory above it."""
    if has_wildcards(selector):
        return any(_matches(selector, prefix) for prefix in _self_and_parents(path))
    return path == selector or path.startswith(selector + "/")


def _followed_by(selectors: set[str], link: str, *, through: bool) -> bool:
    """Whether Docker follows this symlink for one of the selectors."""
    return any(
        _names(selector, link) or (through and _goes_through(selector, link))
        for selector in selectors
    )


def _names(selector: str, path: str) -> bool:
    return _matches(selector, path) if has_wildcards(selector) else path == selector


def _goes_through(selector: str, link: str) -> bool:
    """Whether the selector's path continues below link (so Docker resolves link first)."""
    parts = selector.split("/")
    return any(_names("/".join(parts[:count]), link) for count in range(1, len(parts)))


def _matches(pattern: str, path: str) -> bool:
    try:
        return filepath_match(pattern, path)
    except ValueError:
        return True  # Docker would refuse the pattern: hash more rather than less


def _self_and_parents(path: str) -> Iterable[str]:
    while path:
        yield path
        path = posixpath.dirname(path)


def _link_target(link: ContextEntry) -> str:
    """Where a symlink points, as a path in the context: Docker resolves links inside its root."""
    target = os.readlink(link.absolute)
    if not target.startswith("/"):
        target = posixpath.join("/", posixpath.dirname(link.path), target)
    return clean_source(target)
