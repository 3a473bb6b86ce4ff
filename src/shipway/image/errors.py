"""What can go wrong building and pushing an image; each error says what to do."""

from __future__ import annotations

from shipway.errors import MissingToolError, UserError


class ImageError(UserError):
    """Building or pushing a service's image failed."""


class NoContainerEngineError(MissingToolError):
    """Neither Docker (with a reachable daemon), Podman nor Buildah can be used."""


class BadDockerignoreError(ImageError):
    """A `.dockerignore` pattern is malformed, so Docker would refuse the build too."""


class BuildFailedError(ImageError):
    """The engine's build exited non-zero; the message carries its last lines of output."""

    def __init__(self, message: str, last_lines: list[str]) -> None:
        super().__init__(message)
        self.last_lines = last_lines


class RegistryLoginError(ImageError):
    """Logging in to the registry failed (credentials, network, or a missing repository)."""


class PushFailedError(ImageError):
    """The engine's push exited non-zero; the message carries its last lines of output."""

    def __init__(self, message: str, last_lines: list[str]) -> None:
        super().__init__(message)
        self.last_lines = last_lines


class RepositoryNotFoundError(ImageError):
    """The service's image repository does not exist yet in the registry."""
