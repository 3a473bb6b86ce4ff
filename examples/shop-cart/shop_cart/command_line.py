"""``python -m <service>``: document the environment with --help, validate it, then serve."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from shop_cart.settings import environment_help

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pydantic_settings import BaseSettings

SettingsT = TypeVar("SettingsT", bound="BaseSettings")


def parse_command_line(prog: str, description: str, settings_class: type[BaseSettings],
                       argv: Sequence[str] | None = None) -> None:
    """Accept only --help: configuration comes from environment variables."""
    parser = argparse.ArgumentParser(
        prog=prog, description=description, epilog=environment_help(settings_class),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)


def load_settings(factory: Callable[[], SettingsT]) -> SettingsT:
    """Build settings from the environment; on bad values print them and exit with status 2."""
    try:
        return factory()
    except ValidationError as error:
        for problem in error.errors():
            variable = "_".join(str(part) for part in problem["loc"]).upper()
            print(f"configuration error: {variable}: {problem['msg']}", file=sys.stderr)  # noqa: T201
        raise SystemExit(2) from None
