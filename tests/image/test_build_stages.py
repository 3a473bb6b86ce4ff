"""The stages a build of a target needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipway.image.build_stages import needed_stages, split_stages
from shipway.image.dockerfile import parse_dockerfile
from shipway.image.instruction_reads import WholeContextNeededError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
THREE_TIER = (EXAMPLES / "three-tier" / "Dockerfile").read_text()
CHAIN = """\
FROM python:3.11 AS deps
RUN pip install x
FROM python:3.11 AS assets
RUN make assets
FROM deps AS build
COPY --from=assets /out /assets
FROM python:3.11 AS unused
COPY unused/ /unused/
FROM python:3.11-slim
COPY --from=build /app /app
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
"""
NUMBERED = """\
FROM alpine
RUN echo zero
FROM alpine AS one
FROM alpine
COPY --from=0 /x /x
"""
MOUNTS = """\
FROM alpine AS wheels
FROM alpine AS seed
FROM alpine
RUN --mount=type=cache,target=/root/.cache,from=seed --mount=type=bind,from=wheels,target=/w \
    pip install /w/*
"""
CASE = "FROM alpine AS Base\nFROM BASE\n"
LATER_NAME = "FROM later\nFROM alpine AS later\n"


def _needed(text: str, target: str | None = None, args: dict[str, str] | None = None) -> list[str]:
    build = split_stages(parse_dockerfile(text), args or {})
    return [stage.label for stage in needed_stages(build, target)]


@pytest.mark.parametrize(
    ("text", "target", "args", "expected"),
    [
        (THREE_TIER, "web", {}, ["builder", "runtime", "web"]),
        (THREE_TIER, "api", {}, ["builder", "runtime", "api"]),
        (THREE_TIER, None, {}, ["builder", "runtime", "web", "#4"]),  # FROM ${SERVICE}: web
        (THREE_TIER, None, {"SERVICE": "api"}, ["builder", "runtime", "api", "#4"]),
        (THREE_TIER, "WEB", {}, ["builder", "runtime", "web"]),  # targets ignore case
        (CHAIN, None, {}, ["deps", "assets", "build", "#4"]),  # COPY --from, recursively
        (CHAIN, "unused", {}, ["unused"]),
        (NUMBERED, None, {}, ["#0", "#2"]),  # --from=0 is the first stage
        (MOUNTS, None, {}, ["wheels", "seed", "#2"]),  # RUN --mount from= stages
        (CASE, None, {}, ["base", "#1"]),
        (LATER_NAME, None, {}, ["later"]),  # the last stage; FROM later is that stage
        (LATER_NAME, "later", {}, ["later"]),
    ],
)
def test_stages_needed(
    text: str, target: str | None, args: dict[str, str], expected: list[str]
) -> None:
    assert _needed(text, target, args) == expected


def test_a_copy_from_an_image_needs_no_stage() -> None:
    text = "FROM alpine AS nginx_conf\nFROM alpine\nCOPY --from=nginx:1.27 /etc /etc\n"
    assert _needed(text) == ["#1"]


def test_global_args_default_from_earlier_args_and_build_args_override() -> None:
    text = "ARG KIND=web\nARG STAGE=${KIND}-stage\nFROM a AS web-stage\nFROM a AS api-stage\n"
    text += "FROM $STAGE\n"
    assert _needed(text) == ["web-stage", "#2"]
    assert _needed(text, args={"KIND": "api"}) == ["api-stage", "#2"]
    assert _needed(text, args={"STAGE": "web-stage", "KIND": "api"}) == ["web-stage", "#2"]


@pytest.mark.parametrize(
    ("text", "target", "words"),
    [
        (THREE_TIER, "worker", "no stage is named worker"),
        ("FROM a AS x\nFROM b AS X\n", None, "two stages are named x"),
        ("RUN echo\nFROM a\n", None, "line 1: RUN before the first FROM"),
        ("FROM ${NOBODY}\n", None, "line 1: FROM ${NOBODY}: $NOBODY is not a declared"),
        ("ARG IMAGE\nFROM ${IMAGE}\n", None, "names no image"),
        ("FROM a b\n", None, "FROM needs an image"),
        ("FROM a AS 1x\n", None, "invalid stage name"),
        ("FROM a\nFETCH x\n", None, "line 2: unknown instruction FETCH"),
    ],
)
def test_what_cannot_be_resolved_says_why(text: str, target: str | None, words: str) -> None:
    with pytest.raises(WholeContextNeededError, match=words.replace("$", r"\$")):
        _needed(text, target)


def test_a_problem_in_a_stage_the_target_does_not_need_is_no_problem() -> None:
    text = "FROM a AS odd\nCOPY $X /x\nFROM a AS fine\nCOPY app/ /app/\n"
    assert _needed(text, "fine") == ["fine"]
    with pytest.raises(WholeContextNeededError, match="line 2: COPY source"):
        _needed(text, "odd")
