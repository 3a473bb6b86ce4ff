"""Format detection and streaming record iteration."""

from __future__ import annotations

import codecs
import io
import json
from decimal import Decimal

import ijson
import pytest

from shipway.loader.errors import MalformedObjectError
from shipway.loader.formats import (
    CHUNK_BYTES,
    MAX_LINE_BYTES,
    Position,
    SourceRecord,
    looks_typed,
    open_records,
)

TYPED = b'[{"username": {"S": "ada"}, "age": {"N": "36"}}, {"username": {"S": "bob"}}]'
PLAIN = b'[{"username": "ada", "age": 36.5}, {"username": "bob"}]'
LINES = b'{"username": "ada"}\n\n{"username": "bob", "age": 1.25}\r\n'


def records(data: bytes, format: str = "auto") -> tuple[str, list[SourceRecord]]:
    stream = open_records(io.BytesIO(data), format)  # type: ignore[arg-type]
    return stream.format, list(stream.records)


def malformed(data: bytes, format: str = "auto") -> str:
    with pytest.raises(MalformedObjectError) as caught:
        records(data, format)
    return caught.value.reason


class CountingStream(io.BytesIO):
    """Records how many bytes were read, to prove records arrive before the end is read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_a_dynamodb_json_array_is_detected_from_its_first_element() -> None:
    format, found = records(TYPED)
    assert format == "dynamodb_json"
    assert [(r.position, r.value) for r in found] == [
        (Position("index", 0), {"username": {"S": "ada"}, "age": {"N": "36"}}),
        (Position("index", 1), {"username": {"S": "bob"}}),
    ]


def test_a_plain_json_array_keeps_fractions_exact_as_decimals() -> None:
    format, found = records(PLAIN)
    assert format == "json"
    assert [r.value for r in found] == [{"username": "ada", "age": Decimal("36.5")},
                                        {"username": "bob"}]


def test_json_lines_are_numbered_as_an_editor_numbers_them() -> None:
    format, found = records(LINES)
    assert format == "jsonl"
    assert [(r.position, r.value, r.error) for r in found] == [
        (Position("line", 1), {"username": "ada"}, None),
        (Position("line", 3), {"username": "bob", "age": Decimal("1.25")}, None),
    ]


def test_a_bad_line_is_one_bad_record_and_the_next_lines_still_come() -> None:
    _, found = records(b'{"username": "ada"}\n{"username": \n{"username": "bob"}\n[NaN]\n')
    assert [(r.position.number, r.error is None) for r in found] == [
        (1, True), (2, False), (3, True), (4, False)]
    assert found[1].error is not None and found[1].error.startswith("not JSON: ")
    assert found[1].value == '{"username": '
    assert found[3].error == "not JSON: NaN is not a JSON number"


def test_a_line_that_is_not_utf8_past_the_first_chunk_is_rejected_alone() -> None:
    # The first chunk decides the file's encoding; a stray byte later spoils one line only.
    padding = b'{"username": "ada"}\n' + b"\n" * CHUNK_BYTES
    _, found = records(padding + b'{"username": "b\xe9a"}\n{"username": "bob"}')
    assert [r.error for r in found] == [None, "not UTF-8 text (byte 0xe9)", None]
    assert found[1].value == '{"username": "b\ufffda"}'


def test_a_file_whose_first_chunk_is_not_utf8_is_in_the_wrong_encoding() -> None:
    assert malformed('{"username": "José"}\n'.encode("latin-1")) == (
        "wrong encoding: not UTF-8 text (byte 0xe9 at offset 17); upload UTF-8 JSON text")


def test_an_overlong_line_is_rejected_without_being_buffered() -> None:
    long_line = b'{"username": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}'
    _, found = records(b'{"username": "ada"}\n' + long_line + b'\n{"username": "bob"}')
    assert [(r.position.number, r.value if r.error is None else r.error) for r in found] == [
        (1, {"username": "ada"}),
        (2, "line longer than 2 MiB; a DynamoDB item is at most 400 KB"),
        (3, {"username": "bob"}),
    ]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file: it has no records (or only whitespace)"),
    (b" \n\t\r\n" * 30_000, "empty file: it has no records (or only whitespace)"),
    (codecs.BOM_UTF8, "empty file: it has no records (only a byte order mark)"),
    ('[{"a": "b"}]'.encode("utf-16"), "wrong encoding: the file is UTF-16 (byte order mark); "
                                      "save it as UTF-8"),
    ('[{"a": "b"}]'.encode("utf-32"), "wrong encoding: the file is UTF-32 (byte order mark); "
                                      "save it as UTF-8"),
    ('[{"a": "b"}]'.encode("utf-16-le"), "wrong encoding: the file contains NUL bytes, so it "
                                         "is binary or UTF-16; upload UTF-8 JSON text"),
    (b"\x89PNG\r\n\x1a\n", "wrong encoding: not UTF-8 text (byte 0x89 at offset 0); upload "
                           "UTF-8 JSON text"),
    (b"username,role\nada,admin\n", "not JSON: the file starts with 'u'; expected '[' (a JSON "
                                    "array of records) or '{' (JSON Lines, one record per line)"),
])
def test_an_unreadable_file_is_malformed_with_a_reason(data: bytes, reason: str) -> None:
    assert malformed(data) == reason


def test_a_utf8_byte_order_mark_is_skipped() -> None:
    assert records(codecs.BOM_UTF8 + PLAIN)[0] == "json"
    assert len(records(codecs.BOM_UTF8 + LINES)[1]) == 2


def test_a_truncated_array_is_malformed_after_the_elements_it_delivered() -> None:
    stream = open_records(io.BytesIO(b'[{"username": "ada"}, {"username": "b'))
    assert next(stream.records).value == {"username": "ada"}
    with pytest.raises(MalformedObjectError, match=r"^invalid JSON after element 0: "):
        next(stream.records)


def test_garbage_after_the_array_is_malformed() -> None:
    assert malformed(PLAIN + b" trailing").startswith("invalid JSON after element 1: ")


def test_invalid_utf8_inside_an_array_is_malformed() -> None:
    data = b'[{"username": "ada"}' + b" " * CHUNK_BYTES + b', {"username": "b\xe9"}]'
    assert malformed(data).startswith("invalid JSON after element 0: ")


def test_a_file_with_no_json_line_at_all_is_malformed() -> None:
    pretty = json.dumps({"username": "ada", "role": "admin"}, indent=2).encode()
    assert malformed(pretty) == ("not JSON Lines: none of the 4 lines is a JSON value "
                                 "(line 1: not JSON: Expecting property name enclosed in double "
                                 "quotes: line 1 column 2 (char 1))")


def test_an_empty_array_has_no_records() -> None:
    assert records(b"  [ ]  ") == ("json", [])


@pytest.mark.parametrize(("format", "expected"), [
    ("dynamodb_json", "dynamodb_json"), ("json", "json")])
def test_an_explicit_array_format_is_not_second_guessed(format: str, expected: str) -> None:
    assert records(PLAIN, format)[0] == expected
    assert records(TYPED, format)[0] == expected


def test_an_explicit_array_format_refuses_json_lines() -> None:
    assert malformed(LINES, "json") == ("format 'json' expects a JSON array, but the file starts "
                                        "with '{'; set the format to jsonl or auto")


def test_explicit_jsonl_reads_lines_even_when_they_are_arrays() -> None:
    format, found = records(b'["a"]\n{"username": "ada"}\n', "jsonl")
    assert format == "jsonl"
    assert [r.value for r in found] == [["a"], {"username": "ada"}]


@pytest.mark.parametrize("data", [
    b"[" + b",".join([b'{"username": "u%06d", "padding": "%s"}' % (i, b"x" * 100)
                      for i in range(20_000)]) + b"]",
    b"\n".join([b'{"username": "u%06d", "padding": "%s"}' % (i, b"x" * 100)
                for i in range(20_000)]),
], ids=["array", "lines"])
def test_records_stream_without_reading_the_whole_file(data: bytes) -> None:
    source = CountingStream(data)
    stream = open_records(source)
    first = next(stream.records)
    assert first.value == {"username": "u000000", "padding": "x" * 100}
    assert source.bytes_read <= 2 * CHUNK_BYTES < len(data) // 10
    assert sum(1 for _ in stream.records) == 19_999


@pytest.mark.parametrize(("value", "typed"), [
    ({"a": {"S": "x"}, "b": {"NULL": True}, "c": {"M": {}}}, True),
    ({"a": {"S": "x"}, "b": "plain"}, False),
    ({"a": {"S": "x", "N": "1"}}, False),
    ({"a": {"STRING": "x"}}, False),
    ({}, False),
    (["S"], False),
])
def test_looks_typed(value: object, typed: bool) -> None:
    assert looks_typed(value) is typed


@pytest.mark.parametrize(("data", "reason"), [
    (b'[{"username": "ada"}, {"username": "b', "invalid JSON after element 0: "),
    (b'[{"username": "ada"}' + b" " * CHUNK_BYTES + b', {"username": "b\xe9"}]',
     "invalid JSON after element 0: "),
    (b'[{"username": "ada"}] x', "invalid JSON after element 0: "),
])
def test_the_pure_python_parser_fails_the_same_way(
        monkeypatch: pytest.MonkeyPatch, data: bytes, reason: str) -> None:
    # A Lambda asset copied without ijson's C extension falls back to this backend.
    monkeypatch.setattr("shipway.loader.arrays.ijson", ijson.get_backend("python"))
    assert records(PLAIN)[0] == "json"
    assert malformed(data).startswith(reason)


def test_the_upload_is_read_in_bounded_chunks() -> None:
    sizes: list[int] = []

    class Recording(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            chunk = super().read(size)
            sizes.append(len(chunk))
            return chunk

    stream = open_records(Recording(LINES * 10_000))
    assert sum(1 for _ in stream.records) == 20_000
    assert max(sizes) <= CHUNK_BYTES


def test_a_line_nested_too_deeply_is_one_bad_record() -> None:
    _, found = records(b"[" * 100_000 + b"]" * 100_000 + b'\n{"username": "ada"}\n', "jsonl")
    assert [r.error for r in found] == ["not JSON this loader reads: nested too deeply", None]
