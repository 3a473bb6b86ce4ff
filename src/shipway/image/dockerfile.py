"""A Dockerfile read the way Docker's parser reads it, into instructions.

Follows moby/buildkit's ``frontend/dockerfile/parser``: parser directives (``# escape=``,
``# syntax=``) only at the very top, the escape token as the line-continuation character,
comment and blank lines dropped inside continued instructions (continued lines keep their leading
whitespace), builder flags (``--from=...``) split off the arguments, and heredoc bodies
(``RUN <<EOF`` ... ``EOF``) read as part of their instruction rather than as instructions.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

from shipway.image.shell_words import split_words

DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
KNOWN_DIRECTIVES = frozenset({"escape", "syntax", "check"})
ARGUMENT_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
HEREDOC_WORD = re.compile(r"(\d*)<<(-?)([^<]*)")
# Instructions whose shell-form arguments may open heredocs (ONBUILD only wraps one of them).
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD", "ONBUILD"})


class DockerfileSyntaxError(ValueError):
    """Docker's parser would refuse this Dockerfile."""


@dataclass(frozen=True)
class Instruction:
    """One instruction as Docker's parser splits it, with the line it starts on.

    `original` is the whole instruction on one line (continuations joined, comments dropped),
    `rest` what follows the keyword, `flags` the leading `--name=value` words and `arguments`
    what follows them.
    """

    keyword: str
    rest: str
    flags: tuple[str, ...]
    arguments: str
    line: int
    original: str
    heredocs: tuple[str, ...] = ()

    def flag_values(self, name: str) -> list[str]:
        """The values given to `--name=value` (a bare `--name` gives 'true')."""
        values = []
        for flag in self.flags:
            key, equals, value = flag[2:].partition("=")
            if key == name:
                values.append(value if equals else "true")
        return values


@dataclass(frozen=True)
class Dockerfile:
    """The parser directives, the escape token, and the instructions in order."""

    directives: dict[str, str]
    escape: str
    instructions: tuple[Instruction, ...]


def parse_dockerfile(text: str) -> Dockerfile:
    """Instructions as Docker's parser makes them; DockerfileSyntaxError where it would refuse."""
    lines = [raw.rstrip("\r") for raw in text.removeprefix("\ufeff").split("\n")]
    directives = _directives(lines)
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        raise DockerfileSyntaxError(f"invalid escape token {escape!r} does not match ` or \\")
    continuation = _continuation(escape)
    found: list[Instruction] = []
    position = 0
    while position < len(lines):
        start = position + 1
        logical, position = _logical_line(lines, position, continuation)
        if logical:
            instruction = _instruction(logical, start)
            heredocs = _heredoc_names(instruction)
            position = _skip_heredoc_bodies(lines, position, heredocs, start)
            found.append(_with_heredocs(instruction, heredocs))
    if not found:
        raise DockerfileSyntaxError("file with no instructions")
    return Dockerfile(directives, escape, tuple(found))


def json_arguments(arguments: str) -> list[str] | None:
    """The strings of an exec-form (JSON array) argument list, or None for the shell form."""
    if not arguments.lstrip().startswith("["):
        return None
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError:
        return None  # Docker falls back to the shell form too
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DockerfileSyntaxError("when using JSON array syntax, arrays must be strings only")
    return value


def whitespace_words(arguments: str) -> list[str]:
    """Arguments split as FROM and shell-form COPY/ADD split them (no quoting at this stage)."""
    stripped = arguments.strip()
    return ARGUMENT_WHITESPACE.split(stripped) if stripped else []


def _directives(lines: list[str]) -> dict[str, str]:
    """Directives at the top: the first line that is not one ends them (a blank line too)."""
    found: dict[str, str] = {}
    for line in lines:
        match = DIRECTIVE.match(line.lstrip())
        if not match or match[1].lower() not in KNOWN_DIRECTIVES:
            break
        name = match[1].lower()
        if name in found:
            raise DockerfileSyntaxError(f"only one {name} parser directive can be used")
        found[name] = match[2]
    return found


def _continuation(escape: str) -> re.Pattern[str]:
    # the escape token last on a line continues it, unless it is itself escaped
    token = re.escape(escape)
    return re.compile(rf"([^{token}]){token}[ \t]*$|^{token}[ \t]*$")


def _logical_line(
    lines: list[str], position: int, continuation: re.Pattern[str]
) -> tuple[str, int]:
    """The instruction text that starts at lines[position], and where the next one starts."""
    first = lines[position].lstrip()
    position += 1
    if first.startswith("#"):
        return "", position
    logical, continued = _trim_continuation(first, continuation)
    while continued and position < len(lines):
        line = lines[position]
        position += 1
        if line.lstrip().startswith("#") or not line.strip():
            continue  # comments and blank lines inside a continued instruction are skipped
        part, continued = _trim_continuation(line, continuation)
        logical += part
    return logical.strip(), position


def _trim_continuation(line: str, continuation: re.Pattern[str]) -> tuple[str, bool]:
    trimmed, count = continuation.subn(r"\1", line)
    return trimmed, count > 0


def _instruction(logical: str, line: int) -> Instruction:
    keyword, *rest = ARGUMENT_WHITESPACE.split(logical, maxsplit=1)
    after_keyword = rest[0].strip() if rest else ""
    flags, arguments = _builder_flags(after_keyword)
    return Instruction(
        keyword.upper(), after_keyword, tuple(flags), arguments.strip(), line, logical
    )


def _builder_flags(rest: str) -> tuple[list[str], str]:
    """Leading `--name=value` words (quotes removed, as Docker's extractBuilderFlags does)."""
    flags: list[str] = []
    remaining = rest.lstrip()
    while remaining.startswith("--"):
        word, remaining = _flag_word(remaining)
        if word == "--":
            break
        flags.append(word)
        remaining = remaining.lstrip()
    return flags, remaining


def _flag_word(text: str) -> tuple[str, str]:
    """One flag word, with quotes removed and backslash escapes applied, and the rest."""
    word: list[str] = []
    quote = ""
    position = 0
    while position < len(text):
        char = text[position]
        if not quote and char.isspace():
            break
        if char == quote:
            quote = ""
        elif not quote and char in "'\"":
            quote = char
        elif char == "\\" and position + 1 < len(text):
            position += 1
            word.append(text[position])
        elif char != "\\":
            word.append(char)
        position += 1
    return "".join(word), text[position:]


def _heredoc_names(instruction: Instruction) -> list[tuple[str, bool]]:
    """(name, strip leading tabs) of each heredoc the instruction opens."""
    if instruction.keyword not in HEREDOC_KEYWORDS or json_arguments(instruction.arguments):
        return []
    names = []
    for word in split_words(instruction.original, "\\"):
        match = HEREDOC_WORD.fullmatch(word)
        if match and match[3]:
            names.append((match[3].replace('"', "").replace("'", ""), match[2] == "-"))
    return names


def _skip_heredoc_bodies(
    lines: list[str], position: int, heredocs: list[tuple[str, bool]], start: int
) -> int:
    for name, strip_tabs in heredocs:
        while True:
            if position >= len(lines):
                raise DockerfileSyntaxError(f"line {start}: unterminated heredoc {name}")
            line = lines[position].rstrip("\n")
            position += 1
            if (line.lstrip("\t") if strip_tabs else line) == name:
                break
    return position


def _with_heredocs(instruction: Instruction, heredocs: list[tuple[str, bool]]) -> Instruction:
    return dataclasses.replace(instruction, heredocs=tuple(name for name, _ in heredocs))
