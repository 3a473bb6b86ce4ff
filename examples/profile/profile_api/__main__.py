"""Run the profile service: `python -m profile_api`; configuration comes from the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from profile_api import SERVICE, __version__
from profile_api.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Validate the configuration, then serve until SIGTERM or SIGINT."""
    run_service(
        service=SERVICE,
        settings_class=Settings,
        target="profile_api.app:create_app",
        version=__version__,
        argv=argv,
        description="Serve the profile card: GET / (JSON), GET /health, GET /openapi.json. "
        "SIGTERM stops accepting, lets in-flight requests finish, then exits 0.",
    )


if __name__ == "__main__":
    main()
