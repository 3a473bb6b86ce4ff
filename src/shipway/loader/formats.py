"""Recognise the uploaded file's format and stream its records, each with where it came from.

Nothing here holds more than one record (plus a 64 KiB read buffer) in memory: JSON arrays are
parsed incrementally with ijson (``arrays.py``), JSON Lines line by line.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import TYPE_CHECKING, Literal, Protocol

from ijson import JSONError  # type: ignore[import-untyped]  # ships no type information

from shipway.loader.arrays import array_elements
from shipway.loader.errors import MalformedObjectError

if TYPE_CHECKING:
    from shipway.contract import LoaderFormat as Format

CHUNK_BYTES = 64 * 1024
# A DynamoDB item is at most 400 KB; its JSON text (escapes, base64) can be a few times larger.
MAX_LINE_BYTES = 2 * 1024 * 1024
WHITESPACE = b" \t\r\n"
DYNAMODB_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})
FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
ResolvedFormat = Literal["dynamodb_json", "json", "jsonl"]


class Readable(Protocol):
    """A binary stream: botocore's StreamingBody, an open file, io.BytesIO."""

    def read(self, size: int | None = ..., /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Position:
    """Where a record sits: ``index`` (0-based) in a JSON array or ``line`` (1-based) in JSONL."""

    kind: Literal["index", "line"]
    number: int

    def as_dict(self) -> dict[str, int]:
        return {self.kind: self.number}

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record as parsed, or, when ``error`` is set, the raw text that failed to parse."""

    position: Position
    value: object
    error: str | None = None


@dataclass(frozen=True)
class RecordStream:
    """The records of one object, with the format they turned out to be in."""

    format: ResolvedFormat
    records: Iterator[SourceRecord]

    @property
    def typed(self) -> bool:
        """True when records are DynamoDB JSON (``{"name": {"S": "..."}}``)."""
        return self.format == "dynamodb_json"


def open_records(stream: Readable, format: Format = "auto") -> RecordStream:
    """Detect the format from the first bytes (and first element) and stream the records."""
    head = _Peeked(stream)
    first = head.first_byte()
    if format == "jsonl" or (format == "auto" and first == b"{"):
        return RecordStream("jsonl", _jsonl_records(head))
    if first != b"[":
        raise MalformedObjectError(_not_an_array(first, format))
    elements = _array_records(head)
    if format != "auto":
        return RecordStream(format, elements)
    peeked = next(elements, None)
    if peeked is None:
        return RecordStream("json", iter(()))
    resolved: ResolvedFormat = "dynamodb_json" if looks_typed(peeked.value) else "json"
    return RecordStream(resolved, chain((peeked,), elements))


def _not_an_array(first: bytes, format: Format) -> str:
    shown = first.decode("utf-8", "replace")
    if format == "auto":
        return (
            f"not JSON: the file starts with {shown!r}; expected '[' (a JSON array of "
            "records) or '{' (JSON Lines, one record per line)"
        )
    return (
        f"format {format!r} expects a JSON array, but the file starts with {shown!r}; "
        "set the format to jsonl or auto"
    )


def looks_typed(value: object) -> bool:
    """True when every attribute is a one-key object named after a DynamoDB type."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(attribute, dict)
            and len(attribute) == 1
            and next(iter(attribute)) in DYNAMODB_TYPES
            for attribute in value.values()
        )
    )


class _Peeked:
    """A stream whose first non-whitespace bytes were read ahead to check encoding and format."""

    def __init__(self, stream: Readable) -> None:
        self._stream = stream
        self._buffer = b""
        while not self._buffer.lstrip(WHITESPACE):
            chunk = stream.read(CHUNK_BYTES)
            if not chunk:
                break
            self._buffer = chunk
        self._buffer = self._buffer.lstrip(WHITESPACE)
        self._buffer = _check_encoding(self._buffer)

    def first_byte(self) -> bytes:
        return self._buffer[:1]

    def read(self, size: int | None = -1, /) -> bytes:
        if size == 0:
            return b""
        if not self._buffer:
            return self._stream.read(size if size is not None and size >= 0 else None)
        cut = len(self._buffer) if size is None or size < 0 else size
        data, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return data


def _check_encoding(head: bytes) -> bytes:
    """Return ``head`` without a UTF-8 byte order mark; raise if it is not UTF-8 JSON text."""
    if not head:
        raise MalformedObjectError("empty file: it has no records (or only whitespace)")
    for bom, name in FOREIGN_BOMS:
        if head.startswith(bom):
            raise MalformedObjectError(
                f"wrong encoding: the file is {name} (byte order mark); save it as UTF-8"
            )
    head = head.removeprefix(codecs.BOM_UTF8).lstrip(WHITESPACE)
    if not head:
        raise MalformedObjectError("empty file: it has no records (only a byte order mark)")
    if b"\x00" in head:
        raise MalformedObjectError(
            "wrong encoding: the file contains NUL bytes, so it is binary or UTF-16; "
            "upload UTF-8 JSON text"
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as error:
        raise MalformedObjectError(
            f"wrong encoding: not UTF-8 text (byte 0x{head[error.start]:02x} at offset "
            f"{error.start}); upload UTF-8 JSON text"
        ) from None
    return head


def _array_records(stream: _Peeked) -> Iterator[SourceRecord]:
    delivered = 0
    try:
        for value, refused in array_elements(stream, CHUNK_BYTES):
            position = Position("index", delivered)
            delivered += 1
            if refused is None:
                yield SourceRecord(position, value)
            else:
                yield SourceRecord(position, "(not shown)", refused)
    except (JSONError, UnicodeDecodeError) as error:
        where = f"after element {delivered - 1}" if delivered else "before the first element"
        raise MalformedObjectError(f"invalid JSON {where}: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    detail: object = error.args[0] if error.args else error
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    if isinstance(detail, UnicodeDecodeError):
        return "not UTF-8 text"
    text = str(detail).strip().splitlines()
    return text[0] if text else type(error).__name__


def _jsonl_records(stream: _Peeked) -> Iterator[SourceRecord]:
    parsed = non_blank = 0
    first_error = ""
    for number, line in enumerate(_lines(stream), start=1):
        if line is not None and not line.strip(WHITESPACE):
            continue
        non_blank += 1
        record = _parse_line(Position("line", number), line)
        if record.error is None:
            parsed += 1
        elif not first_error:
            first_error = f"line {number}: {record.error}"
        yield record
    if non_blank and not parsed:
        raise MalformedObjectError(
            f"not JSON Lines: none of the {non_blank} lines is a JSON value ({first_error})"
        )


def _parse_line(position: Position, line: bytes | None) -> SourceRecord:
    if line is None:
        return SourceRecord(
            position,
            "",
            f"line longer than {MAX_LINE_BYTES // 1024**2} MiB; a DynamoDB item is at most 400 KB",
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return SourceRecord(
            position,
            line[:200].decode("utf-8", "replace"),
            f"not UTF-8 text (byte 0x{line[error.start]:02x})",
        )
    try:
        return SourceRecord(
            position, json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
        )
    except ValueError as error:
        return SourceRecord(position, text, f"not JSON: {error}")
    except RecursionError:
        return SourceRecord(position, text, "not JSON this loader reads: nested too deeply")


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _lines(stream: _Peeked) -> Iterator[bytes | None]:
    """Split on newlines; a line over MAX_LINE_BYTES comes out as None and is not buffered."""
    pending: list[bytes] = []
    size = 0
    too_long = False
    while chunk := stream.read(CHUNK_BYTES):
        *complete, rest = chunk.split(b"\n")
        for piece in complete:
            yield (
                None
                if too_long or size + len(piece) > MAX_LINE_BYTES
                else b"".join([*pending, piece])
            )
            pending, size, too_long = [], 0, False
        size += len(rest)
        too_long = too_long or size > MAX_LINE_BYTES
        if too_long:
            pending = []
        else:
            pending.append(rest)
    if size or too_long:
        yield None if too_long else b"".join(pending)
