"""`env_file:`: a file of plain variables beside the manifest, read the way ECS reads it.

ECS (like `docker run --env-file`) takes one `NAME=value` a line, `#` comment lines and blank
lines, and keeps the value literally: no quotes are removed, nothing is expanded. shipway reads
the file the same way for `shipway dev`, so the cloud and the laptop see the same values, and it
refuses what the two would read differently (quotes) and what belongs in `secrets:`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRET_NAME = re.compile(
    r"(^|_)(PASSWORD|PASSWD|SECRET|SECRET_KEY|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS)$",
    re.IGNORECASE,
)
SUFFIX = ".env"  # ECS accepts environment files with this extension only
MAX_BYTES = 1_000_000


class EnvFileError(ValueError):
    """An env_file that is missing, not NAME=value lines, or holds a secret."""


def read_env_file(path: Path, written: str) -> dict[str, str]:
    """The variables of the env file at path (written as `written` in the manifest)."""
    if not written.endswith(SUFFIX):
        raise EnvFileError(f"{written!r}: ECS reads environment files named *{SUFFIX} only")
    if not path.is_file():
        raise EnvFileError(f"{written!r} is not a file beside the manifest ({path})")
    if path.stat().st_size > MAX_BYTES:
        raise EnvFileError(f"{written!r} is larger than {MAX_BYTES} bytes")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EnvFileError(f"{written!r} is not UTF-8 text") from None
    variables: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.lstrip()
        if not entry or entry.startswith("#"):
            continue
        name, value = _variable(entry, f"{written}:{number}")
        variables[name] = value
    return variables


def _variable(entry: str, where: str) -> tuple[str, str]:
    name, separator, value = entry.partition("=")
    if not separator or not NAME.match(name):
        raise EnvFileError(
            f"{where}: {entry[:40]!r} is not NAME=value (a letter or _ first, then letters, "
            "digits and _; '#' starts a comment line)"
        )
    if SECRET_NAME.search(name):
        raise EnvFileError(
            f"{where}: {name} looks like a secret, and an env file is stored in plain text in "
            f"the deployment's S3 bucket; put it under 'secrets:' ({name}: <secret name or "
            "ssm:/parameter>) instead"
        )
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        raise EnvFileError(
            f"{where}: the value of {name} is in quotes, which ECS keeps as part of the value; "
            "remove the quotes (values are taken literally up to the end of the line)"
        )
    return name, value
