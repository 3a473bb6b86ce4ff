"""The command an image runs, read from its Dockerfile's ENTRYPOINT and CMD."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shipway.image.dockerfile import DockerfileSyntaxError, parse_dockerfile

if TYPE_CHECKING:
    from collections.abc import Mapping

# Characters that need a shell; a shell-form CMD without them is split into argv directly.
SHELL_SYNTAX = re.compile(r"[$;&|<>`*?(){}~\\]")
ARG_REFERENCE = re.compile(r"\$\{(\w+)\}|\$(\w+)")
# Init shims that matter in a container (PID 1) but not on a laptop.
INIT_SHIMS = {"tini", "/tini", "/usr/bin/tini", "dumb-init", "/usr/bin/dumb-init"}


@dataclass
class _Stage:
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    has_own: set[str] = field(default_factory=set)


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs as Docker's parser reads them; [] if it would refuse."""
    try:
        parsed = parse_dockerfile(text)
    except DockerfileSyntaxError:
        return []
    return [(instruction.keyword, instruction.rest) for instruction in parsed.instructions]


def command_argv(arguments: str) -> list[str]:
    """The argv of an exec-form (`["a", "b"]`) or shell-form (`a b`) CMD or ENTRYPOINT."""
    if arguments.startswith("["):
        try:
            value = json.loads(arguments)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return value
    if SHELL_SYNTAX.search(arguments):
        return ["/bin/sh", "-c", arguments]
    return shlex.split(arguments)


def image_command(
    text: str,
    *,
    target: str | None = None,
    build_args: Mapping[str, str] | None = None,
    entrypoint: list[str] | None = None,
    command: list[str] | None = None,
) -> list[str]:
    """ENTRYPOINT + CMD of the target stage, else the final one (Docker's rules), or []; a
    given entrypoint replaces ENTRYPOINT and drops CMD, a given command replaces CMD."""
    stages: dict[str, _Stage] = {}
    current: _Stage | None = None
    arguments_before_from: dict[str, str] = {}
    for keyword, arguments in instructions(text):
        if keyword == "ARG" and current is None:
            name, _, default = arguments.partition("=")
            arguments_before_from[name.strip()] = default.strip().strip("'\"")
        elif keyword == "FROM":
            parts = _substitute(arguments, {**arguments_before_from, **(build_args or {})}).split()
            current = _inherit(stages.get(parts[0].lower()) if parts else None)
            if len(parts) >= 3 and parts[-2].upper() == "AS":
                stages[parts[-1].lower()] = current
        elif keyword in {"CMD", "ENTRYPOINT"} and current is not None:
            _set(current, keyword, command_argv(arguments))
    chosen = stages.get(target.lower()) if target else current
    if chosen is None:
        return [*(entrypoint or []), *(command or [])]
    if entrypoint is not None:
        return _without_init_shim([*entrypoint, *(command or [])])
    return _without_init_shim([*(chosen.entrypoint or []), *(command or chosen.cmd or [])])


def _substitute(text: str, values: Mapping[str, str]) -> str:
    """`${NAME}` and `$NAME` replaced by the build argument's value."""
    return ARG_REFERENCE.sub(lambda match: values.get(match[1] or match[2], ""), text)


def _inherit(base: _Stage | None) -> _Stage:
    return _Stage() if base is None else _Stage(entrypoint=base.entrypoint, cmd=base.cmd)


def _set(stage: _Stage, keyword: str, argv: list[str]) -> None:
    if keyword == "CMD":
        stage.cmd = argv
    else:
        stage.entrypoint = argv
        if "CMD" not in stage.has_own:
            stage.cmd = None  # a new ENTRYPOINT resets the CMD inherited from the base
    stage.has_own.add(keyword)


def _without_init_shim(argv: list[str]) -> list[str]:
    if argv and argv[0] in INIT_SHIMS:
        argv = argv[1:]
        if argv and argv[0] == "--":
            argv = argv[1:]
    return argv
