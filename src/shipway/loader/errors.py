"""The loader's failures, one class each, so callers can tell a user's mistake from an outage."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipway.loader.runtime import LoadSummary


class LoaderError(Exception):
    """Base class of every error the loader raises on purpose."""


class LoaderConfigError(LoaderError, ValueError):
    """The loader's environment (TABLE_NAME, KEY_SCHEMA, ...) is missing or invalid."""


class InvalidRecordError(LoaderError, ValueError):
    """One record cannot become a DynamoDB item; it is rejected and the load goes on."""

    def __init__(self, detail: str, path: tuple[str | int, ...] = ()) -> None:
        self.detail = detail
        self.path = path
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        """The detail, prefixed with the attribute path it occurred at (``a.b[2]``)."""
        if not self.path:
            return self.detail
        rendered = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in self.path
        ).lstrip(".")
        return f"attribute {rendered}: {self.detail}"

    def within(self, name: str | int) -> InvalidRecordError:
        """The same error one level up: inside attribute or list index ``name``."""
        return InvalidRecordError(self.detail, (name, *self.path))


class MalformedObjectError(LoaderError):
    """The object as a whole is unreadable (empty, not JSON, not UTF-8); its report says why."""

    def __init__(self, reason: str, *, summary: LoadSummary | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.summary = summary


class InvalidMessageError(LoaderError):
    """An SQS message is not an S3 event notification; it goes to the dead-letter queue."""
