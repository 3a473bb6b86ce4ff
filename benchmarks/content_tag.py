"""Milliseconds to compute the content tag of each example target, and of a big context.

For each service each example's shipway.yml builds: the time (best of three), the context entries
the tag covers out of those sent, their bytes, and why the whole context is hashed if it is.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from shipway.image import ImageSource, content_inputs, content_tag
from shipway.image.dockerignore import sent_entries
from shipway.manifest import load_manifest, resolve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_targets() -> dict[str, ImageSource]:
    """`<example>/<service>` → what its shipway.yml builds (first environment's values)."""
    sources = {}
    for manifest_path in sorted(EXAMPLES.glob("*/shipway.yml")):
        manifest = load_manifest(manifest_path)
        environment = next(iter(manifest.application.environments))
        for service, planned in resolve(manifest, environment).services.items():
            build = planned.spec.image.build
            if build is None:
                continue
            context = manifest.directory / build.context
            sources[f"{manifest_path.parent.name}/{service}"] = ImageSource(
                service, context, context / build.dockerfile, build.target, dict(build.args)
            )
    return sources


def measure(source: ImageSource) -> str:
    """Best of three runs in ms, entries covered of those sent, their bytes, and any fall-back."""
    best = min(_timed(source) for _ in range(3))
    inputs = content_inputs(source)
    sent = len(sent_entries(source.context, source.dockerfile))
    size = sum(Path(e.absolute).stat().st_size for e in inputs.entries if e.kind == "file")
    why = inputs.whole_context_because
    whole = f"  whole context: {why}" if why else ""
    covered = f"{len(inputs.entries):5d}/{sent:5d} entries"
    return f"{best * 1000:7.1f} ms  {covered} {size / 1024:8.0f} KiB{whole}"


def _timed(source: ImageSource) -> float:
    started = time.perf_counter()
    content_tag(source)
    return time.perf_counter() - started


def big_context(root: Path, files: int, file_bytes: int, copied: str) -> ImageSource:
    for index in range(files):
        folder = root / f"package{index % 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.py").write_bytes(os.urandom(file_bytes))
    (root / "Dockerfile").write_text(f"FROM scratch\nCOPY {copied} /app/\n")
    return ImageSource("big", root, root / "Dockerfile")


def main() -> None:
    for name, source in example_targets().items():
        print(f"{name:24s} {measure(source)}")
    for copied in (".", "package7/"):
        with tempfile.TemporaryDirectory() as scratch:
            source = big_context(Path(scratch), 10_000, 25_600, copied)
            print(f"{'synthetic COPY ' + copied:24s} {measure(source)}")


if __name__ == "__main__":
    main()
