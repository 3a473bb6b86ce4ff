"""``python -m three_tier_web``: serve the items page on $PORT (default 8080)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from three_tier_runtime import configure_logging, run_server
from three_tier_runtime.command_line import load_settings, parse_command_line

from three_tier_web.settings import WebSettings, get_settings

if TYPE_CHECKING:
    from collections.abc import Sequence


def serve(settings: WebSettings) -> None:
    """Run the web tier under the configured ASGI server until SIGTERM, then drain and exit 0."""
    run_server(settings, target="three_tier_web.app:create_app")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve."""
    parse_command_line("python -m three_tier_web", "Web tier of the three-tier example: an HTML "
                       "page of the items the api serves.", WebSettings, argv)
    settings = load_settings(get_settings)
    configure_logging(settings.log_level)
    serve(settings)


if __name__ == "__main__":
    main()
