"""``python -m three_tier_web``: serve the items page on $PORT (default 8080)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from three_tier_web.settings import SERVICE, VERSION, WebSettings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve until SIGTERM."""
    run_service(
        service=SERVICE,
        settings_class=WebSettings,
        target="three_tier_web.app:create_app",
        version=VERSION,
        argv=argv,
        description="Web tier of the three-tier example: an HTML page of the items the api serves.",
    )


if __name__ == "__main__":
    main()
