"""The elements of a top-level JSON array, streamed from parser events with a depth guard.

ijson's ``items`` would build an element however deep it nests; a hostile file of a few MB can
then take gigabytes. Walking ``basic_parse`` events instead lets an element that nests too deep
be skipped, unbuilt, and reported as one rejected record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ijson  # type: ignore[import-untyped]  # ships no type information
from ijson import ObjectBuilder

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.loader.formats import Readable

# DynamoDB allows 32 levels of nesting; anything far deeper is refused before it is built.
MAX_DEPTH = 64
TOO_DEEP = f"the record nests deeper than {MAX_DEPTH} levels; DynamoDB allows 32"
OPENERS = frozenset({"start_map", "start_array"})
CLOSERS = frozenset({"end_map", "end_array"})

Element = tuple[Any, str | None]


def array_elements(stream: Readable, buf_size: int) -> Iterator[Element]:
    """Yield ``(value, None)`` per element, or ``(None, reason)`` for one refused unbuilt."""
    depth = 0
    builder: Any = None
    too_deep = False
    for event, value in ijson.basic_parse(stream, buf_size=buf_size):
        if event in OPENERS:
            depth += 1
            level = depth
            if level == 2:
                builder, too_deep = ObjectBuilder(), False
        elif event in CLOSERS:
            level = depth
            depth -= 1
        elif depth == 1:
            yield value, None  # a scalar element: refused later, it is no record
            continue
        else:
            level = depth
        if level == 1:
            continue  # the array's own brackets
        if level > MAX_DEPTH:
            builder, too_deep = None, True
        if builder is not None:
            builder.event(event, value)
        if level == 2 and event in CLOSERS:
            yield (None, TOO_DEEP) if too_deep else (builder.value, None)
