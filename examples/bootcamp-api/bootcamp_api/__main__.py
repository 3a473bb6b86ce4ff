"""Run the bootcamp API: `python -m bootcamp_api`; configuration comes from the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from bootcamp_api import SERVICE, __version__
from bootcamp_api.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Validate the configuration, then serve until SIGTERM or SIGINT."""
    run_service(
        service=SERVICE,
        settings_class=Settings,
        target="bootcamp_api.app:create_app",
        version=__version__,
        argv=argv,
        description="Serve the bootcamp API: POST /login, GET /cidr-to-mask, GET /mask-to-cidr, "
        "GET / and GET /_health, GET /openapi.json. SIGTERM stops accepting, lets "
        "in-flight requests finish, then exits 0.",
    )


if __name__ == "__main__":
    main()
