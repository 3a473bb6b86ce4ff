"""Copies of the real examples for content-tag tests.

Every example is built with `examples/` as its context: the shared `service-runtime/` package sits
beside the examples and each Dockerfile, at `<example>/Dockerfile`, copies its own folder and the
runtime (see examples/.dockerignore).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shipway.image import ImageSource

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEFT_OUT = shutil.ignore_patterns("__pycache__", ".shipway", ".pytest_cache", ".mypy_cache")


def copy_examples(into: Path) -> Path:
    """A copy of examples/ (symlinks kept, caches left out), free to change."""
    return Path(shutil.copytree(EXAMPLES, into / "examples", symlinks=True, ignore=LEFT_OUT))


def example_source(root: Path, name: str, target: str | None = None) -> ImageSource:
    """An example's image as its shipway.yml builds it: context `examples/`, its Dockerfile."""
    return ImageSource(target or name, root, root / name / "Dockerfile", target=target)
