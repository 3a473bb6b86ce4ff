"""Files a running `shipway dev` keeps beside the manifest, in `.shipway/`.

`dev.json` says where everything runs (written once all is healthy, removed on exit);
`loads/<bucket>/<key>.json` is the loader's completion record for each object it processed,
which `shipway load` waits for.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from shipway.dev.errors import DevAlreadyRunningError

STATE_FOLDER = ".shipway"


@dataclass(frozen=True)
class DevPaths:
    """Where a manifest's local state lives."""

    root: Path

    @classmethod
    def beside(cls, manifest_path: Path) -> DevPaths:
        return cls(manifest_path.resolve().parent / STATE_FOLDER)

    @property
    def dev_json(self) -> Path:
        return self.root / "dev.json"

    @property
    def secrets_env(self) -> Path:
        return self.root / "secrets.env"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def service_log(self, service: str) -> Path:
        """Where `shipway dev` copies a service's output (this session's only)."""
        return self.logs / f"{service}.log"

    @property
    def loads(self) -> Path:
        return self.root / "loads"

    def load_record(self, bucket: str, key: str) -> Path:
        """The completion record of object key in bucket (manifest name)."""
        return self.loads / bucket / f"{quote(key, safe='')}.json"


@dataclass(frozen=True)
class LoadRecord:
    """What the loader did with one object, as `shipway load` reads it."""

    bucket: str
    key: str
    etag: str | None
    loaded: int
    rejected: int
    seconds: float
    report_key: str | None
    malformed: str | None
    attempt: int = 1

    @classmethod
    def from_json(cls, text: str) -> LoadRecord:
        return cls(**json.loads(text))

    def describe(self) -> str:
        """`users.json: 3 loaded, 1 rejected (report reports/users.json.rejected.json)`."""
        text = f"{self.key}: {self.loaded} loaded, {self.rejected} rejected"
        if self.report_key:
            text += f" (report {self.report_key})"
        if self.malformed:
            text += (
                f"; malformed: {self.malformed} (attempt {self.attempt}; after 3 the "
                "message goes to the dead-letter queue)"
            )
        return text


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    ) as stream:
        json.dump(document, stream, indent=2)
        stream.write("\n")
    os.replace(stream.name, path)


def write_load_record(path: Path, record: LoadRecord) -> None:
    """Publish one load's outcome."""
    write_json(path, asdict(record))


def read_dev_json(path: Path) -> dict[str, Any] | None:
    """The running session's description, or None if there is none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return document if isinstance(document, dict) else None


def claim(paths: DevPaths) -> None:
    """Refuse a second `shipway dev` of one manifest; clear what a killed one left behind."""
    document = read_dev_json(paths.dev_json)
    if document is not None and process_alive(document.get("pid")):
        raise DevAlreadyRunningError(
            f"'shipway dev' already runs this manifest (pid {document['pid']}, "
            f"{paths.dev_json}); stop it first"
        )
    paths.dev_json.unlink(missing_ok=True)
    shutil.rmtree(paths.loads, ignore_errors=True)


def process_alive(pid: object) -> bool:
    """True if a process with this id exists."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
