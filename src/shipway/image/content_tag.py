"""A tag computed from what a build reads: the same sources give the same tag.

It covers what `content_inputs` finds the build of the target reads: the instructions of the
stages the target needs (with the parser directives and the global ARGs), the target, the build
arguments, and the context entries their COPY and ADD sources cover (relative path, kind,
executable bit and bytes). When that cannot be worked out safely it covers the whole Dockerfile
and every entry of the context that `.dockerignore` lets through, and
`content_inputs(source).whole_context_because` says why.

Modification times, owners and other permission bits are left out: they differ between checkouts
of the same commit, and a tag that changed with them would rebuild unchanged services.
"""

from __future__ import annotations

import hashlib
import os
import stat
from typing import TYPE_CHECKING

from shipway.image.content_inputs import content_inputs

if TYPE_CHECKING:
    from shipway.image.content_inputs import ContentInputs
    from shipway.image.dockerignore import ContextEntry
    from shipway.image.source import ImageSource

TAG_PREFIX = "src-"
DEFAULT_PLATFORM = "linux/amd64"
# Bump when what goes into the hash changes, so old tags are not mistaken for new ones.
# v2: only what the target's stages read, unless the whole context is needed.
FORMAT = b"shipway content tag v2\0"


def content_tag(source: ImageSource) -> str:
    """`src-` and 32 hex digits of a SHA-256 over the build's inputs."""
    return tag_for(source, content_inputs(source))


def tag_for(source: ImageSource, inputs: ContentInputs) -> str:
    """The content tag of source, from inputs already worked out for it."""
    digest = hashlib.sha256(FORMAT)
    _add(digest, "whole" if inputs.whole_context_because else "target")
    for line in inputs.dockerfile:
        _add(digest, "dockerfile", line)
    _add(digest, "target", source.target or "")
    for name, value in sorted(source.args.items()):
        _add(digest, "arg", name, value)
    # Another architecture is another image. linux/amd64, the default, adds nothing, so the
    # tags of images built before platforms existed (all amd64) still name them.
    if source.platform not in (None, DEFAULT_PLATFORM):
        _add(digest, "platform", str(source.platform))
    for entry in inputs.entries:
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
