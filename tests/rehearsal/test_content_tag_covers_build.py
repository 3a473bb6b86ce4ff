"""The content tag covers every file the build of its target reads: shown with the real engine.

For each example target, a copy of its build context keeps only the files the tag covers: every
other file is deleted, or, when a stage the target does not need still copies it (Docker's legacy
builder runs every stage before the target), replaced by garbage that still compiles. The copy
must have the same tag, and building it must succeed and put the same files in the image as the
untouched context does. Every example builds from one `examples/` context with the shared runtime,
so what each target may not read is most of what the context holds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shipway.image import ImageSource, build_image, content_inputs, content_tag
from shipway.image.build_stages import split_stages
from shipway.image.dockerfile import parse_dockerfile
from shipway.testing.notes import Stopwatch
from tests.rehearsal.conftest import example_sources

if TYPE_CHECKING:
    from shipway.image import BuiltImage, ContainerEngine
    from shipway.testing.docker_daemon import DockerDaemon

pytestmark = pytest.mark.slow
# Every path below /app with its kind, mode and bytes (a SHA-256), as JSON.
APP_LISTING = """
import hashlib, json, os, stat
found = {}
for root, folders, files in os.walk("/app"):
    for name in folders + files:
        path = os.path.join(root, name)
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            found[path] = "link " + os.readlink(path)
        elif stat.S_ISDIR(info.st_mode):
            found[path] = "dir " + oct(info.st_mode & 0o7777)
        else:
            with open(path, "rb") as file:
                digest = hashlib.sha256(file.read()).hexdigest()
            found[path] = oct(info.st_mode & 0o7777) + " " + digest
print(json.dumps(found))
"""
# (example/service or example and target, a file the image must hold)
TARGETS = [
    ("three-tier/web", "/app/three_tier_web/app.py"),
    ("three-tier/api", "/app/three_tier_api/app.py"),
    ("profile/profile", "/app/profile_api/app.py"),
]
SHARED_RUNTIME_FILE = "/app/service_runtime/server.py"


def _app_files(daemon: DockerDaemon, reference: str) -> dict[str, str]:
    shown = daemon.docker("run", "--rm", "--entrypoint", "python3", reference, "-c", APP_LISTING)
    files: dict[str, str] = json.loads(shown.stdout)
    return files


def _read_by_some_stage(source: ImageSource) -> set[str]:
    """Paths that the build of any stage of the Dockerfile copies."""
    build = split_stages(parse_dockerfile(source.dockerfile.read_text()), source.args)
    targets = [stage.name for stage in build.stages if stage.name] + [None]
    return {
        entry.path
        for target in targets
        for entry in content_inputs(dataclasses.replace(source, target=target)).entries
    }


def _only_what_the_tag_covers(source: ImageSource, into: Path) -> tuple[ImageSource, set[str]]:
    """A copy of source's context without the files its tag does not cover (same Dockerfile),
    and the files deleted or garbled."""
    covered = {entry.path for entry in content_inputs(source).entries}
    read_elsewhere = _read_by_some_stage(source)
    context = Path(shutil.copytree(source.context, into, symlinks=True))
    changed = set()
    for path in sorted(context.rglob("*"), reverse=True):  # what a folder holds before it
        relative = path.relative_to(context).as_posix()
        if relative in covered or path.name.endswith((".dockerignore", ".containerignore")):
            continue
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
            continue
        if relative in read_elsewhere:
            _garble(path)
        else:
            path.unlink()
        changed.add(relative)
    return dataclasses.replace(source, context=context), changed


def _garble(path: Path) -> None:
    if path.suffix == ".py":  # other stages compile it: garbage, but Python
        path.write_text(f"raise SystemExit('not the real {path.name}: {os.urandom(8).hex()}')\n")
    else:
        path.write_bytes(os.urandom(64))


def _app_files_built_from_only_what_the_tag_covers(
    source: ImageSource, tmp_path: Path, daemon: DockerDaemon, engine: ContainerEngine
) -> dict[str, str]:
    """The /app of an image built from a copy of the context holding only what the tag covers."""
    assert content_inputs(source).whole_context_because is None
    stripped, changed = _only_what_the_tag_covers(source, tmp_path / "stripped")
    assert "Dockerfile" in {Path(path).name for path in changed}  # not vacuous: files went
    assert content_tag(stripped) == content_tag(source)
    with Stopwatch(f"build {source.service} from only what its tag covers"):
        reference = f"shipway-rehearsal/stripped-{source.service}:{content_tag(source)}"
        built = build_image(stripped, engine=engine, reference=reference)
    return _app_files(daemon, built.reference)


@pytest.mark.parametrize(("key", "must_hold"), TARGETS)
def test_each_example_target_reads_only_what_its_tag_covers(
    key: str,
    must_hold: str,
    tmp_path: Path,
    docker_daemon: DockerDaemon,
    docker_engine: ContainerEngine,
    example_images: dict[str, BuiltImage],
) -> None:
    expected = _app_files(docker_daemon, example_images[key].reference)
    built = _app_files_built_from_only_what_the_tag_covers(
        example_sources()[key], tmp_path, docker_daemon, docker_engine
    )
    assert {must_hold, SHARED_RUNTIME_FILE} <= set(expected)
    assert built == expected
