"""Run the bootcamp API: `python -m bootcamp_api`; configuration comes from the environment."""

from __future__ import annotations

import argparse
import sys
import textwrap

from pydantic import ValidationError

from bootcamp_api import __version__
from bootcamp_api.logs import configure_logging, logging_config
from bootcamp_api.settings import Settings, load_settings


def environment_help() -> str:
    """One entry per environment variable the service reads, with its default."""
    names = {name: name.upper() for name in Settings.model_fields}
    width = max(map(len, names.values())) + 2
    lines = ["environment variables:"]
    for name, field in Settings.model_fields.items():
        default = "Required." if field.is_required() else \
            f"Default: {field.get_default(call_default_factory=True)}."
        text = f"{field.description} {default}"
        lines.extend(textwrap.wrap(text, width=100, initial_indent=f"  {names[name]:<{width}}",
                                   subsequent_indent=" " * (width + 2)))
    return "\n".join(lines)


def describe(error: ValidationError) -> str:
    """A pydantic error as one line naming the environment variables at fault."""
    problems = []
    for detail in error.errors():
        location = detail["loc"]
        name = "".join([str(location[0]).upper(), *(f"[{part}]" for part in location[1:])]) \
            if location else ""
        problems.append(f"{name}: {detail['msg']}" if name else detail["msg"])
    return "; ".join(problems)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """--help and --version; everything else is configured through the environment."""
    parser = argparse.ArgumentParser(
        prog="python -m bootcamp_api",
        description="Serve the bootcamp API: POST /login, GET /cidr-to-mask, GET /mask-to-cidr, "
                    "GET / and GET /_health, GET /openapi.json. SIGTERM stops accepting, lets "
                    "in-flight requests finish, then exits 0.",
        epilog=environment_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def serve(settings: Settings) -> None:
    """Run the app under granian with uvloop (measured faster than uvicorn here; see README)."""
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    Server(
        "bootcamp_api.app:create_app", factory=True, interface=Interfaces.ASGI, loop=Loops.uvloop,
        address=settings.host, port=settings.port, workers=settings.workers,
        log_level=LogLevels(settings.log_level.lower()),
        log_dictconfig=logging_config(settings.log_level),
        workers_kill_timeout=settings.shutdown_timeout,
    ).serve()


def main(argv: list[str] | None = None) -> int:
    """Entry point: validate the configuration, then serve until SIGTERM or SIGINT."""
    parse_arguments(argv)
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"api: invalid configuration: {describe(error)}", file=sys.stderr)  # noqa: T201
        return 2
    configure_logging(settings.log_level)
    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
