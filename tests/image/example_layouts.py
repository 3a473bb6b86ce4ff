"""Copies of the real examples for content-tag tests: as they are, and in the shared layout.

The shared layout is the one the examples are moving to: one build context (`examples/`) for
every example, the `service-runtime/` package beside them, each Dockerfile at `<example>/Dockerfile`
copying its own folder (`COPY <example>/...`) and the shared runtime.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.image import ImageSource

if TYPE_CHECKING:
    from collections.abc import Iterable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHARED_DOCKERIGNORE = """\
**/__pycache__
**/*.pyc
*/tests
*/README.md
*/.pytest_cache
*/data
"""
RUNTIME_FILES = {
    "__init__.py": '"""What every example service shares."""\n',
    "health.py": 'def health() -> dict[str, str]:\n    return {"status": "ok"}\n',
}
RUNTIME_COPY = "COPY service-runtime/service_runtime/ service_runtime/\n"
CONTEXT_SOURCE = re.compile(r"^(COPY\s+)(?!--)(\S+)", re.MULTILINE)


def copy_example(name: str, into: Path) -> Path:
    """A copy of examples/<name> (symlinks kept, modification times too)."""
    return Path(shutil.copytree(EXAMPLES / name, into / name, symlinks=True))


def shared_context_layout(root: Path, names: Iterable[str]) -> Path:
    """root laid out as `examples/` with the shared runtime, holding copies of names."""
    runtime = root / "service-runtime" / "service_runtime"
    runtime.mkdir(parents=True)
    for file_name, text in RUNTIME_FILES.items():
        (runtime / file_name).write_text(text)
    for name in names:
        folder = copy_example(name, root)
        dockerfile = folder / "Dockerfile"
        text = CONTEXT_SOURCE.sub(rf"\g<1>{name}/\g<2>", dockerfile.read_text())
        # every stage that runs a service copies the shared runtime
        text = re.sub(r"^CMD ", RUNTIME_COPY + "CMD ", text, flags=re.MULTILINE)
        dockerfile.write_text(text)
    (root / ".dockerignore").write_text(SHARED_DOCKERIGNORE)
    return root


def example_source(context: Path, name: str, target: str | None = None) -> ImageSource:
    """An example's image in its own folder (context `.`), as today's shipway.yml says."""
    return ImageSource(target or name, context, context / "Dockerfile", target=target)


def shared_source(root: Path, name: str, target: str | None = None) -> ImageSource:
    """An example's image in the shared layout (context `examples/`)."""
    return ImageSource(target or name, root, root / name / "Dockerfile", target=target)
