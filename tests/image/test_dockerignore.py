"""Reading a `.dockerignore` and walking a build context the way the Docker CLI sends it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.image import BadDockerignoreError
from shipway.image.dockerignore import (
    context_entries,
    context_rules,
    read_patterns,
    sent_entries,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_reading_drops_comments_blank_lines_and_a_bom_and_cleans_each_pattern() -> None:
    text = "\ufeff# comment\n\n  build/  \n!  keep.txt\n/abs/path\n./rel//x/\n # not a comment\n"
    assert read_patterns(text) == ["build", "!keep.txt", "abs/path", "rel/x", "# not a comment"]


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _sent(context: Path) -> list[str]:
    rules = context_rules(context, context / "Dockerfile")
    return [entry.path for entry in context_entries(context, rules) if entry.kind != "dir"]


def test_the_context_without_a_dockerignore_is_everything(tmp_path: Path) -> None:
    context = _tree(tmp_path, {"Dockerfile": "FROM x", "app/main.py": "", "app/sub/x.py": ""})
    assert _sent(context) == ["Dockerfile", "app/main.py", "app/sub/x.py"]


def test_excluded_folders_are_skipped_unless_an_exception_names_something_in_them(
    tmp_path: Path,
) -> None:
    context = _tree(
        tmp_path,
        {
            ".dockerignore": "docs\ntests/\n**/__pycache__\n*.md\n!README.md\n!docs/keep.txt\n",
            "Dockerfile": "",
            "README.md": "",
            "CHANGES.md": "",
            "docs/keep.txt": "",
            "docs/drop.txt": "",
            "tests/test_x.py": "",
            "app/__pycache__/x.pyc": "",
            "app/x.py": "",
        },
    )
    assert _sent(context) == [
        ".dockerignore",
        "Dockerfile",
        "README.md",
        "app/x.py",
        "docs/keep.txt",
    ]


def test_an_excluded_dockerfile_is_not_part_of_what_copy_sees(tmp_path: Path) -> None:
    # the CLI sends it for the builder to read, and the builder drops it from the context
    context = _tree(tmp_path, {".dockerignore": "Dockerfile\n.dockerignore\n", "Dockerfile": ""})
    assert _sent(context) == []


def test_symlinks_are_entries_of_their_own_and_not_followed(tmp_path: Path) -> None:
    context = _tree(tmp_path, {"Dockerfile": "", "real/file.txt": ""})
    (context / "link").symlink_to("real")
    entries = {
        entry.path: entry.kind
        for entry in context_entries(context, context_rules(context, context / "Dockerfile"))
    }
    assert entries["link"] == "symlink"
    assert "link/file.txt" not in entries


def test_a_malformed_pattern_names_the_file_and_what_to_do(tmp_path: Path) -> None:
    context = _tree(tmp_path, {".dockerignore": "ok\nbad[\n", "Dockerfile": ""})
    with pytest.raises(BadDockerignoreError, match=r"\.dockerignore: 'bad\[': .*fix the pattern"):
        context_rules(context, context / "Dockerfile")


def test_what_any_engine_may_send_is_the_union_over_their_ignore_files(tmp_path: Path) -> None:
    # GIVEN the legacy builder's .dockerignore, BuildKit's <Dockerfile>.dockerignore and
    # Podman's .containerignore, each letting through a file the others exclude
    context = _tree(tmp_path, {"a.txt": "", "b.txt": "", "c.txt": "", "d.txt": "", "app/x": ""})
    (context / "app" / "Dockerfile").write_text("FROM alpine\n")
    (context / ".dockerignore").write_text("*.txt\n!a.txt\n")
    (context / "app" / "Dockerfile.dockerignore").write_text("*.txt\n!b.txt\n")
    (context / ".containerignore").write_text("*.txt\n!c.txt\n")
    sent = [entry.path for entry in sent_entries(context, context / "app" / "Dockerfile")]
    # THEN each file some engine sends is there, in the order of a walk, d.txt is not
    assert sent == [
        ".containerignore", ".dockerignore", "a.txt", "app", "app/Dockerfile",
        "app/Dockerfile.dockerignore", "app/x", "b.txt", "c.txt"]  # fmt: skip


def test_without_other_ignore_files_what_is_sent_is_what_docker_sends(tmp_path: Path) -> None:
    context = _tree(tmp_path, {"a.txt": "", "b/c.txt": "", ".dockerignore": "b\n"})
    expected = list(context_entries(context, context_rules(context, context / "Dockerfile")))
    assert sent_entries(context, context / "Dockerfile") == expected
