"""A tag computed from what a build reads: the same sources give the same tag.

It covers the Dockerfile, the target stage, the build arguments and every entry of the build
context that `.dockerignore` lets through (its relative path, kind, executable bit and bytes).
Modification times, owners and other permission bits are left out: they differ between checkouts
of the same commit, and a tag that changed with them would rebuild unchanged services.
"""

from __future__ import annotations

import hashlib
import os
import stat
from typing import TYPE_CHECKING

from shipway.image.dockerignore import context_entries, context_rules

if TYPE_CHECKING:
    from shipway.image.dockerignore import ContextEntry
    from shipway.image.source import ImageSource

TAG_PREFIX = "src-"
# Bump when what goes into the hash changes, so old tags are not mistaken for new ones.
FORMAT = b"shipway content tag v1\0"


def content_tag(source: ImageSource) -> str:
    """`src-` and 32 hex digits of a SHA-256 over the build's inputs."""
    digest = hashlib.sha256(FORMAT)
    with open(source.dockerfile, "rb") as dockerfile:
        _add(digest, "dockerfile", hashlib.file_digest(dockerfile, "sha256").hexdigest())
    _add(digest, "target", source.target or "")
    for name, value in sorted(source.args.items()):
        _add(digest, "arg", name, value)
    rules = context_rules(source.context, source.dockerfile)
    for entry in context_entries(source.context, rules):
        _add(digest, entry.kind, entry.path, *_entry_fields(entry))
    return TAG_PREFIX + digest.hexdigest()[:32]


def _entry_fields(entry: ContextEntry) -> tuple[str, ...]:
    if entry.kind == "symlink":
        return (os.readlink(entry.absolute),)
    if entry.kind == "dir":
        return ()
    with open(entry.absolute, "rb") as file:
        executable = os.fstat(file.fileno()).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return ("x" if executable else "-", hashlib.file_digest(file, "sha256").hexdigest())


def _add(digest: hashlib._Hash, *fields: str) -> None:
    # NUL cannot occur in a path, so NUL-separated fields cannot run into each other.
    for value in fields:
        digest.update(value.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(b"\n")
