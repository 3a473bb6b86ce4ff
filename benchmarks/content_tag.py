"""Milliseconds to compute the content tag of each example's image, and of a big context."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from shipway.image import ImageSource, content_tag
from shipway.image.dockerignore import context_entries, context_rules

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def measure(source: ImageSource) -> tuple[float, int, int]:
    """Best of three runs in ms, the number of entries hashed and their bytes."""
    best = min(_timed(source) for _ in range(3))
    rules = context_rules(source.context, source.dockerfile)
    entries = list(context_entries(source.context, rules))
    size = sum(Path(e.absolute).stat().st_size for e in entries if e.kind == "file")
    return best * 1000, len(entries), size


def _timed(source: ImageSource) -> float:
    started = time.perf_counter()
    content_tag(source)
    return time.perf_counter() - started


def big_context(root: Path, files: int, file_bytes: int) -> ImageSource:
    for index in range(files):
        folder = root / f"package{index % 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.py").write_bytes(os.urandom(file_bytes))
    (root / "Dockerfile").write_text("FROM scratch\n")
    return ImageSource("big", root, root / "Dockerfile")


def main() -> None:
    for folder in sorted(EXAMPLES.iterdir()):
        source = ImageSource(folder.name, folder, folder / "Dockerfile")
        ms, entries, size = measure(source)
        print(f"{folder.name:14s} {ms:7.1f} ms  {entries:5d} entries {size / 1024:8.0f} KiB")
    with tempfile.TemporaryDirectory() as scratch:
        ms, entries, size = measure(big_context(Path(scratch), 10_000, 25_600))
        print(f"{'synthetic':14s} {ms:7.1f} ms  {entries:5d} entries {size / 2**20:8.0f} MiB")


if __name__ == "__main__":
    main()
