"""`shipway load`'s checks before it uploads (src/shipway/dev/load.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from shipway.dev.errors import DevAlreadyRunningError, DevNotRunningError, LoadRequestError
from shipway.dev.load import check_request, load_file
from shipway.dev.state import DevPaths, claim, write_json

if TYPE_CHECKING:
    from pathlib import Path

    from tests.dev.conftest import WriteManifest

BUCKETS = """
    tables: {items: {partition_key: id}}
    buckets:
      items-import: {loader: {table: items}}
      archive: {}
"""


def test_unknown_bucket_bucket_without_loader_and_missing_file(
        write_manifest: WriteManifest, tmp_path: Path) -> None:
    manifest = write_manifest(BUCKETS)
    data = tmp_path / "data" / "seed.json"
    with pytest.raises(LoadRequestError, match=r"bucket 'nope' is not in .* \(buckets: archive, "
                       "items-import\\)"):
        check_request(manifest, "nope", data)
    with pytest.raises(LoadRequestError, match="'archive' has no loader.*items-import"):
        check_request(manifest, "archive", data)
    with pytest.raises(LoadRequestError, match="absent.json does not exist"):
        check_request(manifest, "items-import", tmp_path / "absent.json")


def test_without_a_running_shipway_dev(write_manifest: WriteManifest, tmp_path: Path) -> None:
    manifest = write_manifest(BUCKETS)
    data = tmp_path / "data" / "seed.json"
    with pytest.raises(DevNotRunningError, match="start it first: shipway dev -f"):
        load_file(manifest, "items-import", data, console=Console(quiet=True))
    # a dev.json left by a killed session does not count
    write_json(DevPaths.beside(manifest.path).dev_json, {"pid": 2**22 + 12345})
    with pytest.raises(DevNotRunningError):
        load_file(manifest, "items-import", data, console=Console(quiet=True))


def test_one_manifest_runs_once(write_manifest: WriteManifest) -> None:
    paths = DevPaths.beside(write_manifest(BUCKETS).path)
    write_json(paths.dev_json, {"pid": os.getpid()})
    with pytest.raises(DevAlreadyRunningError, match="already runs this manifest"):
        claim(paths)
    write_json(paths.dev_json, {"pid": 2**22 + 12345})
    write_json(paths.load_record("items-import", "old.json"), {})
    claim(paths)
    assert not paths.dev_json.exists()
    assert not paths.loads.exists()
