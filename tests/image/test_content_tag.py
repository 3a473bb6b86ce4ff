"""The content tag: the same sources give the same tag; any change a build would see, another."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from shipway.image import ImageSource, content_tag

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def profile(tmp_path: Path) -> ImageSource:
    """A copy of examples/profile, free to change, with a .dockerignore of its own."""
    context = tmp_path / "profile"
    shutil.copytree(EXAMPLES / "profile", context)
    (context / ".dockerignore").write_text("README.md\ntests/\n**/__pycache__\n")
    return ImageSource(service="profile", context=context, dockerfile=context / "Dockerfile")


def test_the_same_sources_give_the_same_tag(profile: ImageSource, tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere"
    shutil.copytree(profile.context, twin)
    moved = ImageSource(service="other-name", context=twin, dockerfile=twin / "Dockerfile")
    assert content_tag(profile) == content_tag(profile) == content_tag(moved)


def test_the_tag_is_short_and_valid_everywhere(profile: ImageSource) -> None:
    tag = content_tag(profile)
    assert tag.startswith("src-")
    assert len(tag) == 36 and tag[4:].isalnum()


def test_one_changed_byte_gives_a_new_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    source = profile.context / "profile_api" / "app.py"
    source.write_text(source.read_text() + "\n")
    assert content_tag(profile) != before


def test_a_new_file_gives_a_new_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    (profile.context / "profile_api" / "extra.py").write_text("")
    assert content_tag(profile) != before


def test_a_dockerignored_file_leaves_the_tag_alone(profile: ImageSource) -> None:
    before = content_tag(profile)
    (profile.context / "README.md").write_text("changed")  # README.md is in .dockerignore
    (profile.context / "tests" / "test_new.py").write_text("")  # so is tests/
    assert content_tag(profile) == before


def test_modification_times_leave_the_tag_alone(profile: ImageSource) -> None:
    before = content_tag(profile)
    an_hour_ago = time.time() - 3600
    for path in profile.context.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert content_tag(profile) == before


def test_the_executable_bit_changes_the_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    (profile.context / "requirements.txt").chmod(0o755)
    assert content_tag(profile) != before


def test_target_build_args_and_dockerfile_change_the_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    assert content_tag(ImageSource("profile", profile.context, profile.dockerfile, "x")) != before
    with_args = ImageSource("profile", profile.context, profile.dockerfile, args={"A": "1"})
    assert content_tag(with_args) != before
    profile.dockerfile.write_text(profile.dockerfile.read_text() + "# comment\n")
    assert content_tag(profile) != before


def test_three_tier_targets_get_different_tags() -> None:
    context = EXAMPLES / "three-tier"
    web = ImageSource("web", context, context / "Dockerfile", target="web")
    api = ImageSource("api", context, context / "Dockerfile", target="api")
    assert content_tag(web) != content_tag(api)


def test_a_big_context_is_hashed_quickly(tmp_path: Path) -> None:
    # GIVEN 2,000 files and 64 MiB: what a sizeable service's context looks like
    context = tmp_path / "big"
    for index in range(2000):
        folder = context / f"package{index % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.py").write_bytes(os.urandom(32 * 1024))
    (context / "Dockerfile").write_text("FROM scratch\n")
    started = time.monotonic()
    content_tag(ImageSource("big", context, context / "Dockerfile"))
    # measured here: ~0.1 s (benchmarks/content_tag.py: 244 MiB in ~0.45 s); room for a busy CI
    assert time.monotonic() - started < 5
