"""What a build of an image reads: the Dockerfile instructions it runs, the context files it copies.

The Dockerfile is parsed (shipway.image.dockerfile), the stages the target needs are found
(shipway.image.build_stages), and the context entries their COPY and ADD sources cover are kept
(shipway.image.context_cover), from the entries the engines send (`.dockerignore` applied).

Whenever that cannot be worked out safely from the text (a variable in a source, a heredoc,
ONBUILD, a bind mount of the context, an unknown instruction or flag, a `# syntax=` frontend other
than Docker's, a Dockerfile Docker would refuse), the inputs are the whole Dockerfile and the
whole context, and `whole_context_because` says why in a few words (`publish_image` shows it with
the build's output).

Comments are not inputs: Docker ignores them, so editing one rebuilds nothing. Neither are the
instructions of stages the target does not need.

Not visible from here: ONBUILD triggers inside an external base image (a FROM image built with
`ONBUILD COPY ...` reads context files when built upon). Base images shipway's users build from
are plain (Python, Debian); one with triggers needs a `COPY` of what it reads to be covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.image.build_stages import needed_stages, split_stages
from shipway.image.context_cover import covered_entries
from shipway.image.dockerfile import DockerfileSyntaxError, parse_dockerfile
from shipway.image.dockerignore import ContextEntry, sent_entries
from shipway.image.instruction_reads import Reads, WholeContextNeededError

if TYPE_CHECKING:
    from shipway.image.build_stages import BuildStages, Stage
    from shipway.image.dockerfile import Dockerfile
    from shipway.image.source import ImageSource

DOCKER_FRONTEND = re.compile(
    r"^(docker\.io/)?docker/dockerfile(-upstream)?(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$"
)


@dataclass(frozen=True)
class ContentInputs:
    """The Dockerfile text and context entries a build reads, and what they were chosen from.

    `dockerfile` holds the needed stages' instructions (directives and global ARGs first), or the
    whole Dockerfile when `whole_context_because` is set. `stages` and `sources` name the needed
    stages and their COPY/ADD sources (empty when the whole context is used).
    """

    dockerfile: tuple[str, ...]
    entries: tuple[ContextEntry, ...]
    stages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    whole_context_because: str | None = None


def content_inputs(source: ImageSource) -> ContentInputs:
    """The inputs of a build of source: only what its target reads, else the whole context."""
    text = source.dockerfile.read_bytes().decode("utf-8", "surrogateescape")
    entries = sent_entries(source.context, source.dockerfile)
    try:
        return _target_inputs(text, source, entries)
    except WholeContextNeededError as error:
        return ContentInputs((text,), tuple(entries), whole_context_because=error.reason)


def _target_inputs(text: str, source: ImageSource, entries: list[ContextEntry]) -> ContentInputs:
    try:
        dockerfile = parse_dockerfile(text)
    except DockerfileSyntaxError as error:
        raise WholeContextNeededError(f"Docker would not parse the Dockerfile: {error}") from None
    _check_frontend(dockerfile)
    build = split_stages(dockerfile, source.args)
    stages = needed_stages(build, source.target)
    sources = tuple(path for stage in stages for path in _context_sources(stage))
    return ContentInputs(
        dockerfile=tuple(_instruction_lines(dockerfile, build, stages)),
        entries=tuple(covered_entries(entries, sources)),
        stages=tuple(stage.label for stage in stages),
        sources=sources,
    )


def _check_frontend(dockerfile: Dockerfile) -> None:
    # BuildKit hands the Dockerfile to the `# syntax=` image: only Docker's own reads as here
    syntax = dockerfile.directives.get("syntax")
    if syntax is not None and not DOCKER_FRONTEND.match(syntax):
        raise WholeContextNeededError(f"# syntax={syntax}, a frontend not known here")


def _context_sources(stage: Stage) -> list[str]:
    return [path for reads in stage.reads if isinstance(reads, Reads) for path in reads.context]


def _instruction_lines(
    dockerfile: Dockerfile, build: BuildStages, stages: list[Stage]
) -> list[str]:
    lines = [f"# {name}={value}" for name, value in sorted(dockerfile.directives.items())]
    lines += [instruction.original for instruction in build.global_args]
    for stage in stages:
        # the index keeps `COPY --from=<number>` meaning the same stage
        lines.append(f"stage {stage.index}")
        lines += [instruction.original for instruction in stage.instructions]
    return lines
