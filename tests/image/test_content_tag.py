"""The content tag: the same sources give the same tag; any change a build would see, another."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from shipway.image import ImageSource, content_tag
from tests.image.example_layouts import EXAMPLES, copy_examples, example_source

Change = Callable[[Path], None]


@pytest.fixture
def profile(tmp_path: Path) -> ImageSource:
    """profile's image, in a copy of examples/ free to change."""
    return example_source(copy_examples(tmp_path), "profile")


def test_the_same_sources_give_the_same_tag(profile: ImageSource, tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere"
    shutil.copytree(profile.context, twin)
    moved = ImageSource("other-name", twin, twin / "profile" / "Dockerfile")
    assert content_tag(profile) == content_tag(profile) == content_tag(moved)


def test_the_tag_is_short_and_valid_everywhere(profile: ImageSource) -> None:
    tag = content_tag(profile)
    assert tag.startswith("src-")
    assert len(tag) == 36 and tag[4:].isalnum()


def test_one_changed_byte_gives_a_new_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    source = profile.context / "profile" / "profile_api" / "app.py"
    source.write_text(source.read_text() + "\n")
    assert content_tag(profile) != before


def test_a_new_file_gives_a_new_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    (profile.context / "profile" / "profile_api" / "extra.py").write_text("")
    assert content_tag(profile) != before


def test_a_dockerignored_file_leaves_the_tag_alone(profile: ImageSource) -> None:
    before = content_tag(profile)
    # examples/.dockerignore lets through only what the Dockerfiles copy
    (profile.context / "profile" / "README.md").write_text("changed")
    (profile.context / "profile" / "tests" / "test_new.py").write_text("")
    assert content_tag(profile) == before


def test_modification_times_leave_the_tag_alone(profile: ImageSource) -> None:
    before = content_tag(profile)
    an_hour_ago = time.time() - 3600
    for path in profile.context.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert content_tag(profile) == before


def test_the_executable_bit_changes_the_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    (profile.context / "profile" / "requirements.txt").chmod(0o755)
    assert content_tag(profile) != before


def test_target_build_args_and_dockerfile_change_the_tag(profile: ImageSource) -> None:
    before = content_tag(profile)
    assert content_tag(ImageSource("profile", profile.context, profile.dockerfile, "x")) != before
    with_args = ImageSource("profile", profile.context, profile.dockerfile, args={"A": "1"})
    assert content_tag(with_args) != before
    profile.dockerfile.write_text(profile.dockerfile.read_text() + "ENV EXTRA=1\n")
    assert content_tag(profile) != before


def test_comments_in_the_dockerfile_leave_the_tag_alone(profile: ImageSource) -> None:
    # Docker drops comments (parser directives at the very top excepted): the image is the same
    before = content_tag(profile)
    text = profile.dockerfile.read_text().replace("\nFROM", "\n# a note\nFROM")
    profile.dockerfile.write_text(text.replace(" \\\n", " \\\n    # in a continuation\n"))
    assert content_tag(profile) == before


def test_three_tier_targets_get_different_tags() -> None:
    web = example_source(EXAMPLES, "three-tier", "web")
    api = example_source(EXAMPLES, "three-tier", "api")
    assert content_tag(web) != content_tag(api)


def test_a_big_context_is_hashed_quickly(tmp_path: Path) -> None:
    # GIVEN 2,000 files and 64 MiB: what a sizeable service's context looks like
    context = tmp_path / "big"
    for index in range(2000):
        folder = context / f"package{index % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.py").write_bytes(os.urandom(32 * 1024))
    (context / "Dockerfile").write_text("FROM scratch\nCOPY . /\n")
    started = time.monotonic()
    content_tag(ImageSource("big", context, context / "Dockerfile"))
    # measured here: ~0.1 s (benchmarks/content_tag.py: 244 MiB in ~0.45 s); room for a busy CI
    assert time.monotonic() - started < 5


# Each service's tag follows what its own build reads: one file of one service changed rolls
# out that service only; what they share rolls out all of them; what no build reads, none.


def _edit(path: str) -> Change:
    def change(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        with (root / path).open("a") as file:
            file.write("# changed\n")

    return change


def _replace(path: str, old: str, new: str) -> Change:
    def change(root: Path) -> None:
        text = (root / path).read_text()
        assert old in text
        (root / path).write_text(text.replace(old, new, 1))

    return change


def _make_executable(path: str) -> Change:
    return lambda root: (root / path).chmod(0o755)


def _changed_tags(sources: dict[str, ImageSource], root: Path, change: Change) -> set[str]:
    before = {name: content_tag(source) for name, source in sources.items()}
    change(root)
    return {name for name, source in sources.items() if content_tag(source) != before[name]}


WEB, API, DEFAULT = "web", "api", "default"  # DEFAULT: no --target, FROM ${SERVICE} (web)
PROFILE, EIGHT_BALL = "profile", "magic8ball"
THREE = {WEB, API, DEFAULT}
EVERY = {WEB, API, DEFAULT, PROFILE, EIGHT_BALL}
CHANGES = [
    (_edit("three-tier/three_tier_api/store.py"), {API}),
    (_edit("three-tier/three_tier_api/new_module.py"), {API}),
    (_make_executable("three-tier/three_tier_api/__main__.py"), {API}),
    (_edit("three-tier/three_tier_web/page.py"), {WEB, DEFAULT}),
    (_edit("three-tier/requirements.txt"), THREE),
    (_edit("profile/profile_api/app.py"), {PROFILE}),
    (_edit("service-runtime/service_runtime/server.py"), EVERY),
    (_edit("service-runtime/service_runtime/new_module.py"), EVERY),
    (_edit("three-tier/README.md"), set()),
    (_edit("three-tier/data/items.json"), set()),
    (_edit("three-tier/tests/conftest.py"), set()),
    (_edit("three-tier/shipway.yml"), set()),
    (_edit("service-runtime/tests/test_new.py"), set()),
    (_edit("three-tier/three_tier_api/__pycache__/store.cpython-311.pyc"), set()),  # ignored
    (_edit("shop-cart/shop_cart/app.py"), set()),  # another example, built by none of these
    (
        _replace(
            "three-tier/Dockerfile", "\nFROM runtime AS api\n", "\n# api\nFROM runtime AS api\n"
        ),
        set(),
    ),
    (_replace("three-tier/Dockerfile", "ENV PORT=8000", "ENV PORT=8001"), {API}),
    (_replace("three-tier/Dockerfile", "WORKDIR /app", "WORKDIR /srv"), THREE),
    (_replace("three-tier/Dockerfile", "ARG SERVICE=web", "ARG SERVICE=api"), THREE),
    (_replace("profile/Dockerfile", "EXPOSE 8080", "EXPOSE 8081"), {PROFILE}),
]


@pytest.fixture
def examples(tmp_path: Path) -> dict[str, ImageSource]:
    """Three-tier's targets, profile and magic8ball, in one copy of examples/."""
    root = copy_examples(tmp_path)
    return {
        WEB: example_source(root, "three-tier", WEB),
        API: example_source(root, "three-tier", API),
        DEFAULT: example_source(root, "three-tier"),
        PROFILE: example_source(root, "profile"),
        EIGHT_BALL: example_source(root, "magic8ball"),
    }


@pytest.mark.parametrize(("change", "expected"), CHANGES)
def test_a_change_rolls_out_the_services_that_read_it(
    examples: dict[str, ImageSource], change: Change, expected: set[str]
) -> None:
    assert _changed_tags(examples, examples[WEB].context, change) == expected
