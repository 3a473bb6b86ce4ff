"""The files the content tag hashes are exactly the files the real Docker CLI sends.

A context full of `.dockerignore` corner cases is built with `COPY . /ctx`; the image's listing of
/ctx must equal `context_entries` (files and symlinks: COPY makes the folders of included files
even when the folder itself is excluded, so folders are not compared)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.image import ContainerEngine, ImageSource, build_image
from shipway.image.dockerignore import context_entries, context_rules

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.docker_daemon import DockerDaemon


pytestmark = pytest.mark.slow
DOCKERIGNORE = """\
# corner cases from Docker's documentation and moby's archive code
**/__pycache__
*.md
!README*.md
README-secret.md
docs
!docs/keep.txt
/build/
temp?
*/temp*
tests/**/*.snap
!tests/keep/**
vendor
!vendor*/keep
Dockerfile
"""
FILES = [
    "README.md", "README-secret.md", "README-more.md", "CHANGES.md", "docs/keep.txt",
    "docs/drop.txt", "docs/sub/keep.txt", "build/out.bin", "tempa", "tempab", "temp",
    "src/temp.py", "src/a/temp.py", "src/app.py", "src/__pycache__/x.pyc", "tests/a/b/x.snap",
    "tests/keep/x.snap", "tests/x.py", "vendor/keep", "vendorx/keep", ".hidden", "app.py",
]  # fmt: skip


def _context(root: Path, base_image: str) -> Path:
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    (root / "link-to-app").symlink_to("app.py")
    (root / ".dockerignore").write_text(DOCKERIGNORE)
    (root / "Dockerfile").write_text(
        f"FROM {base_image}\nCOPY . /ctx\n"
        "RUN cd /ctx && find . -mindepth 1 ! -type d | sed 's|^./||' | sort > /listing\n"
    )
    return root


def test_context_entries_are_what_docker_sends(
    tmp_path: Path,
    docker_daemon: DockerDaemon,
    docker_engine: ContainerEngine,
    base_images: list[str],
) -> None:
    context = _context(tmp_path, base_images[0])
    source = ImageSource("corner-cases", context, context / "Dockerfile")
    built = build_image(source, engine=docker_engine, reference="shipway-rehearsal/context:test")
    listing = docker_daemon.docker("run", "--rm", built.reference, "cat", "/listing").stdout
    rules = context_rules(context, context / "Dockerfile")
    ours = sorted(entry.path for entry in context_entries(context, rules) if entry.kind != "dir")
    assert sorted(listing.split()) == ours
    # and the corner cases came out as Docker documents them
    assert {"README.md", "README-more.md", "docs/keep.txt", "vendorx/keep", "link-to-app"} <= set(
        ours
    )
    assert not {
        "README-secret.md",
        "docs/drop.txt",
        "tempa",
        "src/temp.py",
        "vendor/keep",
        "Dockerfile",
    } & set(ours)
