"""What a build reads: the needed stages' sources, or the whole context and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.image import ImageSource
from shipway.image.content_inputs import content_inputs
from shipway.image.content_tag import content_tag

if TYPE_CHECKING:
    from pathlib import Path

FILES = ["app/main.py", "app/util.py", "docs/guide.md", "vendor/lib.py", "notes.txt"]


@pytest.fixture
def context(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    return tmp_path


def _source(context: Path, dockerfile: str, **options: object) -> ImageSource:
    (context / "Dockerfile").write_text(dockerfile)
    return ImageSource("svc", context, context / "Dockerfile", **options)  # type: ignore[arg-type]


def test_only_the_sources_are_inputs(context: Path) -> None:
    source = _source(context, "FROM alpine\nCOPY app/ /app/\nCOPY notes.txt /\n")
    inputs = content_inputs(source)
    assert inputs.whole_context_because is None
    assert [entry.path for entry in inputs.entries] == [
        "app", "app/main.py", "app/util.py", "notes.txt"]  # fmt: skip
    assert inputs.sources == ("app/", "notes.txt")
    assert inputs.stages == ("#0",)


def test_the_hashed_text_is_the_needed_stages_instructions(context: Path) -> None:
    text = (
        "# syntax=docker/dockerfile:1\nARG BASE=alpine\n"
        "FROM ${BASE} AS tools\nRUN make tools\n"
        "FROM ${BASE} AS other\n# a comment\nRUN make other\n"
        "FROM ${BASE}\nCOPY --from=tools /t /t\nCOPY app/ \\\n  /app/\n"
    )
    inputs = content_inputs(_source(context, text))
    assert inputs.dockerfile == (
        "# syntax=docker/dockerfile:1", "ARG BASE=alpine",
        "stage 0", "FROM ${BASE} AS tools", "RUN make tools",
        "stage 2", "FROM ${BASE}", "COPY --from=tools /t /t", "COPY app/   /app/",
    )  # fmt: skip


WHOLE_CONTEXT_CASES = [
    ("FROM alpine\nARG APP=app\nCOPY ${APP}/ /app/\n", "line 3: COPY source ${APP}/ has a"),
    ("FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\n", "line 2: a heredoc (<<EOF)"),
    ("FROM alpine\nRUN <<EOF\nmake\nEOF\n", "line 2: a heredoc (<<EOF)"),
    ("FROM alpine\nONBUILD COPY . /app\n", "line 2: ONBUILD"),
    ("FROM alpine\nRUN --mount=type=bind,target=/src make -C /src\n", "line 2: RUN --mount binds"),
    ("FROM alpine\nDEPLOY app\n", "line 2: unknown instruction DEPLOY"),
    ("FROM alpine\nCOPY --magic app/ /app/\n", "line 2: COPY --magic, a flag not known"),
    ("# escape=?\nFROM alpine\n", "Docker would not parse the Dockerfile: invalid escape"),
    ('FROM alpine\nCOPY ["app", 3]\n', "Docker would not parse the Dockerfile"),
    ("FROM ${IMAGE}\nCOPY app/ /app/\n", "line 1: FROM ${IMAGE}: $IMAGE is not a declared"),
    ("COPY app/ /app/\nFROM alpine\n", "line 1: COPY before the first FROM"),
    ("# syntax=example/frontend:2\nFROM alpine\n", "# syntax=example/frontend:2, a frontend"),
]


@pytest.mark.parametrize(
    "syntax", ["docker/dockerfile:1", "docker.io/docker/dockerfile:1.7-labs", "docker/dockerfile"]
)
def test_docker_s_own_frontends_are_read_here(context: Path, syntax: str) -> None:
    source = _source(context, f"# syntax={syntax}\nFROM alpine\nCOPY app/ /app/\n")
    assert content_inputs(source).whole_context_because is None


@pytest.mark.parametrize(("dockerfile", "reason"), WHOLE_CONTEXT_CASES)
def test_what_cannot_be_resolved_hashes_the_whole_context(
    context: Path, dockerfile: str, reason: str
) -> None:
    source = _source(context, dockerfile)
    inputs = content_inputs(source)
    assert inputs.whole_context_because is not None
    assert inputs.whole_context_because.startswith(reason)
    assert {entry.path for entry in inputs.entries} >= set(FILES) | {"Dockerfile"}
    before = content_tag(source)
    (context / "docs" / "guide.md").write_text("a file no COPY names")
    assert content_tag(source) != before


def test_a_target_that_does_not_exist_hashes_the_whole_context(context: Path) -> None:
    source = _source(context, "FROM alpine AS web\nCOPY app/ /app/\n", target="api")
    assert content_inputs(source).whole_context_because == "no stage is named api"
