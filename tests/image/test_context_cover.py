"""Which context entries COPY/ADD sources read: paths, directories, globs, symlinks."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from shipway.image.context_cover import clean_source, covered_entries
from shipway.image.dockerignore import context_entries, context_rules

if TYPE_CHECKING:
    from pathlib import Path

FILES = [
    "app/main.py", "app/sub/x.py", "app2/y.py", "a.txt", "b.txt", "c.md", "ignored.txt",
    "src/one/x.py", "src/two/x.py", "src/two/y.py", "shared/lib.py", "Dockerfile",
]  # fmt: skip
LINKS = {"linked": "app", "lib": "shared/lib.py", "app/inner-link": "../shared", "up": "/a.txt"}


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("context")
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    for name, target in LINKS.items():
        os.symlink(target, root / name)
    (root / ".dockerignore").write_text("ignored.txt\n")
    return root


def _covered(context: Path, *sources: str) -> set[str]:
    entries = list(context_entries(context, context_rules(context, context / "Dockerfile")))
    return {entry.path for entry in covered_entries(entries, sources)}


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["app/"], {"app", "app/main.py", "app/sub", "app/sub/x.py", "app/inner-link"}),
        (["app/main.py", "c.md"], {"app/main.py", "c.md"}),
        (["*.txt"], {"a.txt", "b.txt"}),  # ignored.txt is not in the context at all
        (["[ab].txt", "c.m?"], {"a.txt", "b.txt", "c.md"}),
        (["src/*/x.py"], {"src/one/x.py", "src/two/x.py"}),
        (["src/t*"], {"src/two", "src/two/x.py", "src/two/y.py"}),
        (["*/sub"], {"app/sub", "app/sub/x.py", "linked", "app", "app/main.py",
                     "app/inner-link"}),  # BuildKit's walk also finds linked/sub: app is read
        (["missing.txt", "ap"], set()),  # `ap` is not a prefix of `app`: paths, not strings
        (["lib"], {"lib", "shared/lib.py"}),  # a named symlink is followed
        (["linked/main.py"], {"linked", "app", "app/main.py", "app/sub", "app/sub/x.py",
                              "app/inner-link"}),  # so is one the path goes through
        (["up"], {"up", "a.txt"}),  # an absolute link stays inside the context
    ],
)  # fmt: skip
def test_covered(context: Path, sources: list[str], expected: set[str]) -> None:
    assert _covered(context, *sources) == expected


def test_a_symlink_inside_a_copied_folder_is_copied_as_a_link_not_followed(context: Path) -> None:
    assert "shared/lib.py" not in _covered(context, "app/")


@pytest.mark.parametrize("source", [".", "./", "/", "..", "a/../.."])
def test_the_context_root_means_everything(context: Path, source: str) -> None:
    everything = {entry.path for entry in context_entries(context, context_rules(context, context))}
    assert _covered(context, source) == everything
    assert "ignored.txt" not in everything


@pytest.mark.parametrize(
    ("source", "cleaned"),
    [("/app", "app"), ("./app/", "app"), ("../app", "app"), ("a/./b/../c", "a/c"), (".", "")],
)
def test_sources_cannot_leave_the_context(source: str, cleaned: str) -> None:
    assert clean_source(source) == cleaned


def test_a_malformed_pattern_covers_rather_than_misses(context: Path) -> None:
    # Docker refuses `[` (ErrBadPattern); the build fails, and the tag must not be the old one
    assert _covered(context, "a[") == _covered(context, ".")
