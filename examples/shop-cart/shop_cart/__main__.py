"""``python -m shop_cart``: serve the cart API on $PORT (default 8080)."""

from __future__ import annotations

import importlib.util
import signal
import sys
from typing import TYPE_CHECKING

from shop_cart.command_line import load_settings, parse_command_line
from shop_cart.json_logs import configure_logging, logging_config
from shop_cart.settings import CartSettings, get_settings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

APP_FACTORY = "shop_cart.app:create_app"


def serve(settings: CartSettings) -> None:
    """Run the app under granian (or uvicorn) until SIGTERM; both drain in-flight requests."""
    if settings.asgi_server == "uvicorn":
        _serve_uvicorn(settings)
        return
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(APP_FACTORY, factory=True, address=settings.host, port=settings.port,
            interface=Interfaces.ASGI, workers=settings.workers,
            log_level=LogLevels(settings.log_level),
            log_dictconfig=logging_config(settings.log_level),
            log_access=False, respawn_failed_workers=True).serve()


def _serve_uvicorn(settings: CartSettings) -> None:
    if importlib.util.find_spec("uvicorn") is None:
        raise SystemExit("ASGI_SERVER=uvicorn needs uvicorn: pip install 'uvicorn[standard]'")
    import uvicorn

    # uvicorn re-raises SIGTERM once drained; this handler turns that into a clean exit 0.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(APP_FACTORY, factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_config=logging_config(settings.log_level),
                access_log=False, timeout_graceful_shutdown=30)


def _exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve."""
    parse_command_line("python -m shop_cart", "Shopping cart REST API on DynamoDB.",
                       CartSettings, argv)
    settings = load_settings(get_settings)
    configure_logging(settings.log_level)
    serve(settings)


if __name__ == "__main__":
    main()
