"""Run an ASGI app factory under granian (default) or uvicorn until SIGTERM."""

from __future__ import annotations

import importlib.util
import signal
import sys
from typing import TYPE_CHECKING

from three_tier_runtime.json_logs import logging_config

if TYPE_CHECKING:
    from types import FrameType

    from three_tier_runtime.settings import ServiceSettings


def run_server(settings: ServiceSettings, *, target: str) -> None:
    """Serve ``target`` ("module:factory"); both servers drain in-flight requests on SIGTERM."""
    if settings.asgi_server == "uvicorn":
        _run_uvicorn(settings, target)
    else:
        _run_granian(settings, target)


def _run_granian(settings: ServiceSettings, target: str) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(target, factory=True, address=settings.host, port=settings.port,
            interface=Interfaces.ASGI, workers=settings.workers,
            log_level=LogLevels(settings.log_level),
            log_dictconfig=logging_config(settings.log_level),
            log_access=False, respawn_failed_workers=True).serve()


def _run_uvicorn(settings: ServiceSettings, target: str) -> None:
    if importlib.util.find_spec("uvicorn") is None:
        raise SystemExit("ASGI_SERVER=uvicorn needs uvicorn: pip install 'uvicorn[standard]'")
    import uvicorn

    # uvicorn re-raises SIGTERM once drained; this handler turns that into a clean exit 0.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(target, factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_config=logging_config(settings.log_level),
                access_log=False, timeout_graceful_shutdown=30)


def _exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
    sys.exit(0)
