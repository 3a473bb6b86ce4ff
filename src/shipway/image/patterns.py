"""One `.dockerignore` pattern, matched exactly as Docker matches it.

Docker (moby/patternmatcher) checks a pattern's syntax with Go's ``filepath.Match`` and then
compiles it to a regular expression of its own, with ``**`` for any number of directories and a
few fast paths (exact, prefix and suffix matches). This module follows that code step by step,
including its quirks (``\\`` escapes the next character, ``**`` at the start is a suffix match),
because the point is to hash exactly the files Docker sends, not the files a person would expect.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from enum import Enum

# Regular-expression characters that are not filepath.Match syntax, so they match themselves.
_LITERAL_IN_REGEX = set(".+()|{}$")


class BadPatternError(ValueError):
    """The pattern is not valid filepath.Match syntax (Go's ErrBadPattern)."""


class _Kind(Enum):
    EXACT = "exact"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    REGEX = "regex"


@dataclass
class Pattern:
    """A cleaned pattern (no leading '!'), whether it is an exception, and how it matches."""

    text: str
    exclusion: bool = False
    dirs: list[str] = field(init=False)
    _kind: _Kind = field(init=False)
    _regex: re.Pattern[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        check_syntax(self.text)
        self.dirs = self.text.split("/")
        self._kind, expression = _compile(self.text)
        if expression is not None:
            with warnings.catch_warnings():  # e.g. "[[" is a nested-set warning in Python only
                warnings.simplefilter("ignore")
                self._regex = re.compile(expression)

    def match(self, path: str) -> bool:
        """Whether this pattern alone matches the slash-separated path."""
        if self._kind is _Kind.EXACT:
            return path == self.text
        if self._kind is _Kind.PREFIX:
            return path.startswith(self.text[:-2])
        if self._kind is _Kind.SUFFIX:
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        assert self._regex is not None
        return self._regex.match(path) is not None


def _compile(text: str) -> tuple[_Kind, str | None]:
    """Docker's translation of a pattern: its kind, and a regular expression when it needs one."""
    expression, kind, i, position = "^", _Kind.EXACT, 0, 0
    while position < len(text):
        char = text[position]
        position += 1
        if char == "*" and text[position : position + 1] == "*":
            position += 1
            if text[position : position + 1] == "/":
                position += 1  # "**/" is "**"
            if position == len(text):
                expression, kind = _trailing_double_star(expression, kind)
            else:
                expression, kind = expression + "(.*/)?", _Kind.REGEX
            if i == 0:
                kind = _Kind.SUFFIX
        elif char in "*?[]\\":
            piece, position = _special(char, text, position)
            expression, kind = expression + piece, _Kind.REGEX
        else:
            expression += "\\" + char if char in _LITERAL_IN_REGEX else char
        i += 1
    if kind is not _Kind.REGEX:
        return kind, None
    return kind, expression + r"\Z"


def _trailing_double_star(expression: str, kind: _Kind) -> tuple[str, _Kind]:
    # "**" at the end accepts everything below, like .gitignore
    if kind is _Kind.EXACT:
        return expression, _Kind.PREFIX
    return expression + ".*", _Kind.REGEX


def _special(char: str, text: str, position: int) -> tuple[str, int]:
    """The regex for '*', '?', '[', ']' or an escape, and where scanning resumes."""
    if char == "*":
        return "[^/]*", position
    if char == "?":
        return "[^/]", position
    if char == "\\":
        if position < len(text):
            return "\\" + text[position], position + 1
        return "\\\\", position
    return char, position  # '[' and ']' pass through: Go's class syntax is the regex's


def check_syntax(text: str) -> None:
    """Raise BadPatternError where Go's filepath.Match would return ErrBadPattern."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 >= len(text):
                raise BadPatternError(f"{text!r}: a trailing backslash escapes nothing")
            position += 2
        elif char == "[":
            position = _check_class(text, position + 1)
        else:
            position += 1


def _check_class(text: str, position: int) -> int:
    """Check a character class that starts after '['; return the position after its ']'."""
    if text[position : position + 1] == "^":
        position += 1
    ranges = 0
    while True:
        if position < len(text) and text[position] == "]" and ranges > 0:
            return position + 1
        position = _class_character(text, position)
        if text[position : position + 1] == "-":
            position = _class_character(text, position + 1)
        ranges += 1


def _class_character(text: str, position: int) -> int:
    if position >= len(text) or text[position] in "-]":
        raise BadPatternError(f"{text!r}: malformed character class")
    if text[position] == "\\":
        position += 1
        if position >= len(text):
            raise BadPatternError(f"{text!r}: a trailing backslash escapes nothing")
    return position + 1
