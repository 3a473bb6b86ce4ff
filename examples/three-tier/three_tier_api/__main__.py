"""``python -m three_tier_api``: serve the items api on $PORT (default 8000)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from three_tier_api.settings import SERVICE, VERSION, ApiSettings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve until SIGTERM."""
    run_service(
        service=SERVICE,
        settings_class=ApiSettings,
        target="three_tier_api.app:create_app",
        version=VERSION,
        argv=argv,
        description="Items api of the three-tier example: JSON over a DynamoDB table.",
    )


if __name__ == "__main__":
    main()
