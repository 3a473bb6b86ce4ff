"""What one Dockerfile instruction reads: files of the build context, and other stages or images.

Only COPY, ADD and `RUN --mount` read anything. Whatever cannot be worked out from the text alone
(a variable in a source, a heredoc, a bind mount of the context, ONBUILD, a flag or instruction this
module does not know) raises WholeContextNeededError with a short reason: the content tag then
hashes the whole context, because a change must never be missed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from shipway.image.dockerfile import Instruction, json_arguments, whitespace_words

# Instructions that never read the build context or another stage.
CONTEXT_FREE = frozenset(
    {
        "ARG",
        "CMD",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
KNOWN_FLAGS = {
    "COPY": frozenset({"from", "chown", "chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"}),
    "RUN": frozenset({"mount", "network", "security"}),
}
# ADD fetches these itself; they are not paths in the context.
REMOTE_SOURCE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^git@")
# A source with these is expanded (variables) or unquoted/unescaped by Docker before use.
EXPANDED_CHARACTERS = ("$", "'", '"', "\\")
MOUNT_TYPES_WITHOUT_FILES = frozenset({"cache", "tmpfs", "secret", "ssh"})


class WholeContextNeededError(Exception):
    """The build's reads cannot be worked out safely; `reason` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownInstructionError(WholeContextNeededError):
    """An instruction Docker does not know: it refuses the Dockerfile whatever the target."""


@dataclass(frozen=True)
class Reads:
    """Stages or images (by name or index) and context sources (paths or patterns) read."""

    stages: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


def instruction_reads(instruction: Instruction, escape: str) -> Reads:
    """What instruction reads; WholeContextNeededError when that cannot be known from its text."""
    keyword = instruction.keyword
    if instruction.heredocs:
        raise _needed(instruction, f"a heredoc (<<{instruction.heredocs[0]})")
    if keyword in ("COPY", "ADD"):
        _check_flags(instruction)
        return _copy_reads(instruction, escape)
    if keyword == "RUN":
        _check_flags(instruction)
        return Reads(stages=tuple(_mounted_stages(instruction)))
    if keyword == "ONBUILD":
        raise _needed(instruction, "ONBUILD (its triggers run in later builds)")
    if keyword in CONTEXT_FREE:
        return Reads()
    raise UnknownInstructionError(f"line {instruction.line}: unknown instruction {keyword}")


def _needed(instruction: Instruction, why: str) -> WholeContextNeededError:
    return WholeContextNeededError(f"line {instruction.line}: {why}")


def _check_flags(instruction: Instruction) -> None:
    for flag in instruction.flags:
        name = flag[2:].partition("=")[0]
        if name not in KNOWN_FLAGS[instruction.keyword]:
            raise _needed(instruction, f"{instruction.keyword} --{name}, a flag not known here")


def _copy_reads(instruction: Instruction, escape: str) -> Reads:
    # (a JSON array of non-strings is refused by the parser already)
    words = json_arguments(instruction.arguments)
    if words is None:
        words = whitespace_words(instruction.arguments)
    if len(words) < 2:
        raise _needed(instruction, f"{instruction.keyword} without a source and a destination")
    stages = instruction.flag_values("from")
    if stages:
        if "$" in stages[-1]:
            raise _needed(instruction, f"--from={stages[-1]} uses a variable")
        return Reads(stages=(stages[-1],))  # the last --from wins, as with any flag
    return Reads(context=tuple(_context_sources(instruction, words[:-1], escape)))


def _context_sources(instruction: Instruction, sources: list[str], escape: str) -> list[str]:
    found = []
    for source in sources:
        if instruction.keyword == "ADD" and REMOTE_SOURCE.match(source):
            continue  # a URL or a git repository: its text is hashed, no context file is read
        if any(char in source for char in (*EXPANDED_CHARACTERS, escape)):
            why = f"{instruction.keyword} source {source} has a variable, quote or escape"
            raise _needed(instruction, why)
        found.append(source)
    return found


def _mounted_stages(instruction: Instruction) -> list[str]:
    """Stages or images a `RUN --mount=...` reads; a mount of the build context is refused."""
    stages = []
    for mount in instruction.flag_values("mount"):
        if "$" in mount:
            raise _needed(instruction, f"RUN --mount={mount} uses a variable")
        options = _mount_options(mount)
        kind, source = options.get("type", "bind"), options.get("from")
        if kind == "bind" and source is None:
            raise _needed(instruction, "RUN --mount binds files of the build context")
        if kind != "bind" and kind not in MOUNT_TYPES_WITHOUT_FILES:
            raise _needed(instruction, f"RUN --mount=type={kind}, a mount type not known here")
        if source is not None:
            stages.append(source)
    return stages


def _mount_options(mount: str) -> dict[str, str]:
    # buildkit reads a mount as one CSV record of key=value fields (keys case-insensitive)
    fields = next(csv.reader([mount]), [])
    options = {}
    for field in fields:
        key, _, value = field.partition("=")
        options[key.strip().lower()] = value
    return options
