"""`shipway load`: upload a file to a running `shipway dev`'s bucket and wait for its loader."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from shipway.dev.errors import DevNotRunningError, LoadFailedError, LoadRequestError
from shipway.dev.state import DevPaths, LoadRecord, process_alive, read_dev_json

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from shipway.manifest import Manifest

DEFAULT_TIMEOUT_SECONDS = 60.0
POLL_SECONDS = 0.1


def running_session(manifest: Manifest) -> dict[str, Any]:
    """The dev.json of the `shipway dev` running this manifest, or a clear error."""
    paths = DevPaths.beside(manifest.path)
    document = read_dev_json(paths.dev_json)
    if document is None or not process_alive(document.get("pid")):
        raise DevNotRunningError(
            f"no 'shipway dev' is running for {manifest.path} (no live {paths.dev_json}); "
            f"start it first: shipway dev -f {manifest.path}"
        )
    return document


def check_request(manifest: Manifest, bucket: str, file: Path) -> None:
    """The bucket exists and has a loader, and the file exists."""
    buckets = manifest.application.buckets
    if bucket not in buckets:
        listing = ", ".join(sorted(buckets)) or "none"
        raise LoadRequestError(f"bucket '{bucket}' is not in {manifest.path} (buckets: {listing})")
    if buckets[bucket].loader is None:
        with_loader = ", ".join(sorted(name for name, item in buckets.items() if item.loader))
        raise LoadRequestError(
            f"bucket '{bucket}' has no loader, so nothing would load the file "
            f"(buckets with a loader: {with_loader or 'none'})"
        )
    if not file.is_file():
        raise LoadRequestError(f"{file} does not exist or is not a file")


def load_file(
    manifest: Manifest,
    bucket: str,
    file: Path,
    *,
    console: Console,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> LoadRecord:
    """Upload file under its name, wait for the loader's outcome; raise LoadFailedError."""
    check_request(manifest, bucket, file)
    session = running_session(manifest)
    record_path = DevPaths.beside(manifest.path).load_record(bucket, file.name)
    record_path.unlink(missing_ok=True)  # an earlier upload's outcome must not answer this one
    etag = _upload(session, bucket, file)
    console.print(
        f"uploaded {file} to s3://{session['buckets'][bucket]}/{file.name}", highlight=False
    )
    started = time.monotonic()
    with console.status("waiting for the loader ...") as status:
        while (waited := time.monotonic() - started) < timeout:
            record = _read_record(record_path)
            if record is not None and record.etag in {etag, None}:
                return record
            status.update(f"waiting for the loader ... {waited:.0f} s")
            time.sleep(POLL_SECONDS)  # polling a file another process writes
    raise LoadFailedError(
        f"the loader did not report on {file.name} within {timeout:g} s; "
        "see the 'shipway dev' output"
    )


def _upload(session: dict[str, Any], bucket: str, file: Path) -> str:
    from shipway.dev.loads import upload
    from shipway.dev.provision import aws_clients

    s3 = aws_clients(str(session["aws_endpoint_url"])).s3
    return upload(s3, str(session["buckets"][bucket]), file)


def _read_record(path: Path) -> LoadRecord | None:
    try:
        return LoadRecord.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
