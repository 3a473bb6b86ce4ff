"""Helpers for `shipway dev` tests: manifests written to a temporary folder."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from shipway.manifest import Manifest, load_manifest

APPS = Path(__file__).parent / "apps"
HEADER = """\
name: {name}
environments:
  test: {account: "123456789012", region: us-east-1}
"""
WriteManifest = Callable[..., Manifest]


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    """A folder with the test service, a Dockerfile running it, and seed data."""
    shutil.copy(APPS / "service.py", tmp_path / "service.py")
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.11-slim\nWORKDIR /app\nCOPY service.py .\nUSER 10001\n'
        'CMD ["python", "service.py"]\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "seed.json").write_text(
        '[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Beta"}, {"name": "no id"}]\n',
        encoding="utf-8")
    return tmp_path


@pytest.fixture
def write_manifest(app_dir: Path) -> WriteManifest:
    """Write shipway.yml (after a standard header) into app_dir and load it."""
    def write(body: str, name: str = "devtest") -> Manifest:
        path = app_dir / "shipway.yml"
        path.write_text(HEADER.replace("{name}", name) + textwrap.dedent(body), encoding="utf-8")
        return load_manifest(path)
    return write
