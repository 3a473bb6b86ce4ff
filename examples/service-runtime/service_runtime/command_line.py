"""``python -m <service>``: --help lists the environment, bad values exit 2, then serve."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pydantic import ValidationError

from service_runtime.json_logs import configure_logging
from service_runtime.server import serve
from service_runtime.settings import environment_help

if TYPE_CHECKING:
    from collections.abc import Sequence

    from service_runtime.settings import ServiceSettings


def parse_arguments(
    prog: str,
    description: str,
    settings_class: type[ServiceSettings],
    version: str,
    argv: Sequence[str] | None = None,
) -> argparse.Namespace:
    """Accept --help and --version only: configuration comes from environment variables."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=environment_help(settings_class),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    return parser.parse_args(argv)


def describe(error: ValidationError) -> str:
    """A settings error as one line naming the environment variables at fault."""
    problems = []
    for detail in error.errors():
        location = detail["loc"]
        name = (
            "".join([str(location[0]).upper(), *(f"[{part}]" for part in location[1:])])
            if location
            else ""
        )
        problems.append(f"{name}: {detail['msg']}" if name else detail["msg"])
    return "; ".join(problems)


def load_settings(service: str, settings_class: type[ServiceSettings]) -> ServiceSettings:
    """The settings from the environment; on bad values say which and exit with status 2."""
    try:
        return settings_class()
    except ValidationError as error:
        print(f"{service}: invalid configuration: {describe(error)}", file=sys.stderr)  # noqa: T201
        raise SystemExit(2) from None


def run_service(
    *,
    service: str,
    description: str,
    settings_class: type[ServiceSettings],
    target: str,
    version: str = "1.0.0",
    argv: Sequence[str] | None = None,
) -> None:
    """The whole of a service's ``__main__``: arguments, settings, JSON logs, serve."""
    module = target.partition(".")[0].partition(":")[0]
    parse_arguments(f"python -m {module}", description, settings_class, version, argv)
    settings = load_settings(service, settings_class)
    configure_logging(settings.log_level, service)
    serve(settings, target=target, service=service)
