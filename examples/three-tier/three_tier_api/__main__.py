"""``python -m three_tier_api``: serve the items api on $PORT (default 8000)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from three_tier_runtime import configure_logging, run_server
from three_tier_runtime.command_line import load_settings, parse_command_line

from three_tier_api.settings import ApiSettings, get_settings

if TYPE_CHECKING:
    from collections.abc import Sequence


def serve(settings: ApiSettings) -> None:
    """Run the api under the configured ASGI server until SIGTERM, then drain and exit 0."""
    run_server(settings, target="three_tier_api.app:create_app")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve."""
    parse_command_line("python -m three_tier_api", "Items api of the three-tier example: "
                       "JSON over a DynamoDB table.", ApiSettings, argv)
    settings = load_settings(get_settings)
    configure_logging(settings.log_level)
    serve(settings)


if __name__ == "__main__":
    main()
