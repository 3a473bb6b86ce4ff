"""Page cursors: opaque to callers, checked when they come back."""

from __future__ import annotations

import base64

import pytest
from three_tier_api.cursor import BadCursorError, decode_cursor, encode_cursor


def test_a_cursor_stands_for_the_last_evaluated_key() -> None:
    key = {"key": {"S": "item/42 ü"}}

    cursor = encode_cursor(key)

    assert cursor is not None and "=" not in cursor and "/" not in cursor
    assert decode_cursor(cursor) == key


def test_no_last_key_means_no_cursor() -> None:
    assert encode_cursor(None) is None
    assert encode_cursor({}) is None
    assert decode_cursor(None) is None


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"key": {"N": "1"}}',
        b'{"key": {"S": ""}}',
        b'{"key": {"S": "a"}, "extra": {"S": "b"}}',
        b'{"key": {"S": 1}}',
    ],
)
def test_cursors_the_api_could_not_have_issued_are_refused(raw: bytes) -> None:
    with pytest.raises(BadCursorError):
        decode_cursor(base64.urlsafe_b64encode(raw).decode())


def test_text_that_is_not_base64_is_refused() -> None:
    with pytest.raises(BadCursorError):
        decode_cursor("%%%")
