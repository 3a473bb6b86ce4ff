"""What can go wrong under `shipway dev`: a user's mistake (exit 2), a service's failure (1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Sequence


class DevConfigurationError(UserError):
    """The manifest cannot run locally as written (no command, a dependency cycle, ...)."""


class PortTakenError(UserError):
    """A fixed `local.port` is already in use by another process."""


class MissingSecretError(UserError):
    """A secret has no local value in `.shipway/secrets.env`."""


class SeedError(UserError):
    """A seed file is missing or the loader found it malformed."""


class DevAlreadyRunningError(UserError):
    """Another `shipway dev` runs the same manifest."""


class DevNotRunningError(UserError):
    """`shipway load` found no running `shipway dev` for the manifest."""


class LoadRequestError(UserError):
    """`shipway load` was given an unknown bucket, a bucket without loader, or no file."""


class StopRequested(Exception):
    """SIGINT or SIGTERM arrived while starting; stop everything and exit 0."""


class ServiceFailedError(Exception):
    """A service exited or never became healthy; the CLI shows its last lines and exits 1."""

    def __init__(self, service: str, reason: str, last_lines: Sequence[str] = ()) -> None:
        super().__init__(f"service '{service}' {reason}")
        self.service = service
        self.reason = reason
        self.last_lines = tuple(last_lines)


class LoadFailedError(Exception):
    """The loader found an uploaded object malformed, or never reported; exit 1."""
