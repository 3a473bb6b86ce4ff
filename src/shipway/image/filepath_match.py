"""Go's ``path/filepath.Match``, which Docker uses for wildcards in COPY and ADD sources.

A port of Go's code (Unix flavour: ``\\`` escapes, ``/`` separates) rather than ``fnmatch``, whose
syntax differs (``[!a]``, no separator rule). Quirks kept on purpose: ``*`` and ``?`` never match
``/`` but a character class can, and a malformed pattern is only reported when matching reaches it.
"""

from __future__ import annotations

from shipway.image.patterns import BadPatternError

SEPARATOR = "/"
WILDCARDS = frozenset("*?[")


def has_wildcards(pattern: str) -> bool:
    """Whether Docker treats a source as a pattern (moby's containsWildcards: `\\` escapes)."""
    position = 0
    while position < len(pattern):
        if pattern[position] == "\\":
            position += 2
            continue
        if pattern[position] in WILDCARDS:
            return True
        position += 1
    return False


def filepath_match(pattern: str, name: str) -> bool:
    """Whether name matches the whole pattern; BadPatternError where Go returns ErrBadPattern."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return SEPARATOR not in name  # a trailing * matches the rest unless it has a /
        rest = _match_chunk(chunk, name)
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        if star:
            skipped = _match_after_skipping(chunk, name, last=not pattern)
            if skipped is not None:
                name = skipped
                continue
        _check_rest(pattern)
        return False
    return not name


def _match_after_skipping(chunk: str, name: str, *, last: bool) -> str | None:
    """The star's turn: try the chunk after skipping 1, 2, ... characters, never a /."""
    for index in range(len(name)):
        if name[index] == SEPARATOR:
            break
        rest = _match_chunk(chunk, name[index + 1 :])
        if rest is not None and not (last and rest):
            return rest
    return None


def _check_rest(pattern: str) -> None:
    # Go checks the remainder's syntax before answering "no match"
    while pattern:
        _, chunk, pattern = _scan_chunk(pattern)
        _match_chunk(chunk, "")


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    """Leading stars, then the chunk up to the next star outside a class."""
    stripped = pattern.lstrip("*")
    star, pattern = len(stripped) != len(pattern), stripped
    in_range, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            index += 1
        elif char == "[":
            in_range = True
        elif char == "]":
            in_range = False
        elif char == "*" and not in_range:
            break
        index += 1
    return star, pattern[:index], pattern[index:]


def _match_chunk(chunk: str, text: str) -> str | None:
    """What is left of text after chunk matched its start, or None; the whole chunk is checked."""
    failed = False
    while chunk:
        failed = failed or not text
        char = chunk[0]
        if char == "[":
            matched, chunk = _match_class(chunk[1:], None if failed else text[0])
            failed = failed or not matched
            text = text if failed else text[1:]
            continue
        if char == "?":
            failed = failed or text[0] == SEPARATOR
        elif char == "\\":
            chunk = chunk[1:]
            if not chunk:
                raise BadPatternError("a trailing backslash escapes nothing")
            failed = failed or chunk[0] != text[0]
        else:
            failed = failed or char != text[0]
        chunk, text = chunk[1:], (text if failed else text[1:])
    return None if failed else text


def _match_class(chunk: str, char: str | None) -> tuple[bool, str]:
    """Whether char is in the class that starts chunk (after '['), and the chunk after its ']'."""
    negated = chunk[:1] == "^"
    chunk = chunk[1:] if negated else chunk
    matched, ranges = False, 0
    while not (chunk[:1] == "]" and ranges > 0):
        low, chunk = _class_character(chunk)
        high = low
        if chunk[0] == "-":
            high, chunk = _class_character(chunk[1:])
        matched = matched or (char is not None and low <= char <= high)
        ranges += 1
    return matched != negated, chunk[1:]


def _class_character(chunk: str) -> tuple[str, str]:
    """One (possibly escaped) character of a class, and what follows it (never empty)."""
    if not chunk or chunk[0] in "-]":
        raise BadPatternError("malformed character class")
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise BadPatternError("a trailing backslash escapes nothing")
    if len(chunk) == 1:
        raise BadPatternError("unterminated character class")
    return chunk[0], chunk[1:]
