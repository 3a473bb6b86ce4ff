"""Run the magic8ball service: `python -m magic8ball`; configuration comes from the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from magic8ball import SERVICE, __version__
from magic8ball.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Validate the configuration, then serve until SIGTERM or SIGINT."""
    run_service(
        service=SERVICE,
        settings_class=Settings,
        target="magic8ball.app:create_app",
        version=__version__,
        argv=argv,
        description="Serve the Magic 8-Ball (GET /?q=...), GET /health and GET /ready, and "
        "write FizzBuzz to Redis every FIZZBUZZ_INTERVAL_SECONDS. SIGTERM stops "
        "accepting, lets in-flight requests finish, then exits 0.",
    )


if __name__ == "__main__":
    main()
