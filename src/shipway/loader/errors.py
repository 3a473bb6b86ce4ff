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

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def within(self, name: str | int) -> InvalidRecordError:
        """The same error, its reason prefixed with the attribute or list index it occurred in."""
        where = f"[{name}]" if isinstance(name, int) else f"'{name}'"
        reason = self.reason
        if reason.startswith("in "):
            head, sep, rest = reason.partition(": ")
            return InvalidRecordError(f"in {where}{head[3:].removeprefix(chr(39)).join(('', ''))}"
                                      f"{sep}{rest}") if False else InvalidRecordError(
                f"in {where} > {reason[3:]}")
        return InvalidRecordError(f"in {where}: {reason}")


class MalformedObjectError(LoaderError):
    """The object as a whole is unreadable (empty, not JSON, not UTF-8); its report says why."""

    def __init__(self, reason: str, *, summary: LoadSummary | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.summary = summary
