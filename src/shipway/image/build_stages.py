"""The stages of a Dockerfile, and the ones a build of a target needs.

A build of `target` (the last stage when there is none) needs that stage, the stage its FROM names
(recursively), and every stage another needed stage reads with `COPY --from=` or
`RUN --mount=from=` (by name or index). Anything else is an image and reads no context file.
Global ARGs (before the first FROM) and the build args resolve `FROM ${VAR}`, as in Docker.

Docker's legacy builder also runs the stages before the target that the target does not need, but
nothing they do reaches the target's image, so their files are not part of its content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.image.dockerfile import Instruction, whitespace_words
from shipway.image.instruction_reads import (
    Reads,
    UnknownInstructionError,
    WholeContextNeededError,
    instruction_reads,
)
from shipway.image.shell_words import UnexpandableWordError, expand, split_words

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shipway.image.dockerfile import Dockerfile

STAGE_NAME = re.compile(r"^[a-z][a-z0-9-_.]*$")


@dataclass(frozen=True)
class Stage:
    """One FROM and the instructions up to the next; what each reads, or why that is unknown."""

    index: int
    name: str | None
    base: str
    instructions: tuple[Instruction, ...]
    reads: tuple[Reads | WholeContextNeededError, ...]

    @property
    def label(self) -> str:
        """How a person names the stage: its name, else its position."""
        return self.name or f"#{self.index}"


@dataclass(frozen=True)
class BuildStages:
    """The ARGs before the first FROM and the stages, in Dockerfile order."""

    global_args: tuple[Instruction, ...]
    stages: tuple[Stage, ...]


def split_stages(dockerfile: Dockerfile, build_args: Mapping[str, str]) -> BuildStages:
    """The stages, FROM references resolved; WholeContextNeededError where Docker would refuse."""
    global_args: list[Instruction] = []
    values: dict[str, str | None] = {}
    groups: list[list[Instruction]] = []
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            groups.append([instruction])
        elif groups:
            groups[-1].append(instruction)
        elif instruction.keyword == "ARG":
            global_args.append(instruction)
            _declare(instruction, values, build_args, dockerfile.escape)
        else:
            raise WholeContextNeededError(
                f"line {instruction.line}: {instruction.keyword} before the first FROM"
            )
    stages = tuple(
        _stage(index, group, values, dockerfile.escape) for index, group in enumerate(groups)
    )
    _check_unique_names(stages)
    return BuildStages(tuple(global_args), stages)


def needed_stages(build: BuildStages, target: str | None) -> list[Stage]:
    """The stages a build of target needs, in Dockerfile order."""
    needed: dict[int, Stage] = {}
    waiting = [_target_stage(build, target)]
    while waiting:
        stage = waiting.pop()
        if stage.index in needed:
            continue
        needed[stage.index] = stage
        waiting += _stages_read_by(stage, build)
    return [needed[index] for index in sorted(needed)]


def _declare(
    instruction: Instruction,
    values: dict[str, str | None],
    build_args: Mapping[str, str],
    escape: str,
) -> None:
    """Record a global ARG's value: the build arg if given, else its default, else unset."""
    for word in split_words(instruction.arguments, escape):
        name, equals, default = word.partition("=")
        try:
            default_value = expand(default, values, escape) if equals else None
        except UnexpandableWordError as error:
            raise WholeContextNeededError(f"line {instruction.line}: ARG {word}: {error}") from None
        values[name] = build_args.get(name, default_value)


def _stage(
    index: int, group: list[Instruction], values: Mapping[str, str | None], escape: str
) -> Stage:
    from_line, *instructions = group
    words = whitespace_words(from_line.arguments)
    if not (len(words) == 1 or (len(words) == 3 and words[1].lower() == "as")):
        raise WholeContextNeededError(f"line {from_line.line}: FROM needs an image [AS name]")
    name = words[2].lower() if len(words) == 3 else None
    if name is not None and not STAGE_NAME.match(name):
        raise WholeContextNeededError(f"line {from_line.line}: invalid stage name {words[2]}")
    try:
        base = expand(words[0], values, escape)
    except UnexpandableWordError as error:
        raise WholeContextNeededError(f"line {from_line.line}: FROM {words[0]}: {error}") from None
    if not base:
        raise WholeContextNeededError(f"line {from_line.line}: FROM {words[0]} names no image")
    reads = tuple(_reads_or_reason(instruction, escape) for instruction in instructions)
    return Stage(index, name, base, (from_line, *instructions), reads)


def _reads_or_reason(instruction: Instruction, escape: str) -> Reads | WholeContextNeededError:
    # kept, not raised: it matters only if a build needs this stage
    try:
        return instruction_reads(instruction, escape)
    except UnknownInstructionError:
        raise  # Docker refuses the whole Dockerfile, whatever the target
    except WholeContextNeededError as error:
        return error


def _check_unique_names(stages: tuple[Stage, ...]) -> None:
    seen: set[str] = set()
    for stage in stages:
        if stage.name in seen:
            raise WholeContextNeededError(f"two stages are named {stage.name}")
        if stage.name:
            seen.add(stage.name)


def _target_stage(build: BuildStages, target: str | None) -> Stage:
    if not build.stages:
        raise WholeContextNeededError("the Dockerfile has no FROM")
    if target is None:
        return build.stages[-1]
    for stage in build.stages:
        if stage.name == target.lower():
            return stage
    raise WholeContextNeededError(f"no stage is named {target}")


def _stages_read_by(stage: Stage, build: BuildStages) -> list[Stage]:
    """The stages stage builds on or copies from; its first unknowable read is raised."""
    found = _named(stage.base, build, exclude=stage)
    for reads in stage.reads:
        if isinstance(reads, WholeContextNeededError):
            raise reads
        for reference in reads.stages:
            found += _named(reference, build, exclude=None) or _numbered(reference, build)
    return found


def _named(reference: str, build: BuildStages, exclude: Stage | None) -> list[Stage]:
    lowered = reference.lower()
    return [stage for stage in build.stages if stage.name == lowered and stage is not exclude]


def _numbered(reference: str, build: BuildStages) -> list[Stage]:
    if reference.isdigit() and int(reference) < len(build.stages):
        return [build.stages[int(reference)]]
    return []  # an image: it reads no file of the context
