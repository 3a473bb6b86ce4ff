"""Records become DynamoDB items, or are refused with a reason a person can act on."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest

from shipway.loader.config import KeyAttribute, KeySchema
from shipway.loader.errors import InvalidRecordError
from shipway.loader.records import MAX_ITEM_BYTES, item_size, to_item

BY_NAME = KeySchema(KeyAttribute("username", "S"))
BY_ORDER = KeySchema(KeyAttribute("customer", "S"), KeyAttribute("order", "N"))
BY_DIGEST = KeySchema(KeyAttribute("digest", "B"))


def rejection(value: object, schema: KeySchema = BY_NAME, *, typed: bool = False) -> str:
    with pytest.raises(InvalidRecordError) as caught:
        to_item(value, schema, typed=typed)
    return caught.value.reason


def test_a_plain_record_is_serialized_with_exact_numbers() -> None:
    record = {"username": "ada", "age": 36, "score": Decimal("9.75"), "admin": True,
              "tags": ["a", 1], "address": {"city": "London", "zip": None}}
    item, key = to_item(record, BY_NAME, typed=False)
    assert item == {
        "username": {"S": "ada"}, "age": {"N": "36"}, "score": {"N": "9.75"},
        "admin": {"BOOL": True}, "tags": {"L": [{"S": "a"}, {"N": "1"}]},
        "address": {"M": {"city": {"S": "London"}, "zip": {"NULL": True}}},
    }
    assert key == ("ada",)


def test_a_typed_record_is_checked_and_binaries_are_decoded() -> None:
    record = {
        "username": {"S": "ada"}, "age": {"N": "36"}, "photo": {"B": "aGk="},
        "nums": {"NS": ["1", "2.5"]}, "names": {"SS": ["x", "y"]}, "blobs": {"BS": ["AA=="]},
        "nested": {"M": {"list": {"L": [{"BOOL": False}, {"NULL": True}]}}},
    }
    item, key = to_item(record, BY_NAME, typed=True)
    assert item["photo"] == {"B": b"hi"}
    assert item["blobs"] == {"BS": [b"\x00"]}
    assert item["nested"] == {"M": {"list": {"L": [{"BOOL": False}, {"NULL": True}]}}}
    assert {name: item[name] for name in ("username", "age", "nums", "names")} == {
        name: record[name] for name in ("username", "age", "nums", "names")}
    assert key == ("ada",)


def test_numeric_keys_compare_as_numbers() -> None:
    first = to_item({"customer": "c", "order": 1}, BY_ORDER, typed=False)[1]
    second = to_item({"customer": {"S": "c"}, "order": {"N": "1.0"}}, BY_ORDER, typed=True)[1]
    assert first == second


def test_a_binary_key_arrives_as_base64_text_in_plain_json() -> None:
    digest = base64.b64encode(b"\x01\x02").decode()
    item, key = to_item({"digest": digest, "note": digest}, BY_DIGEST, typed=False)
    assert item == {"digest": {"B": b"\x01\x02"}, "note": {"S": digest}}
    assert key == (b"\x01\x02",)


@pytest.mark.parametrize(("record", "reason"), [
    ("ada", "a record must be a JSON object, got a string"),
    ([{"username": "ada"}], "a record must be a JSON object, got an array"),
    (None, "a record must be a JSON object, got null"),
    ({}, "the record is an empty object"),
    ({"username": "ada", "": 1},
     "an attribute name is empty; DynamoDB needs one character or more"),
    ({"role": "admin"}, "the partition key 'username' is missing"),
    ({"username": ""}, "the partition key 'username' must not be empty"),
    ({"username": 7}, "the partition key 'username' must be a string (S), got a number (N)"),
    ({"username": None}, "the partition key 'username' must be a string (S), got null (NULL)"),
    ({"username": "u" * 2049}, "the partition key 'username' is longer than DynamoDB's 2048 bytes"),
    ({"username": "ada", "big": 10**40},
     "attribute big: the number has more than 38 significant digits or is outside DynamoDB's "
     "range"),
    ({"username": "ada", "tiny": Decimal("1e-200")},
     "attribute tiny: the number has more than 38 significant digits or is outside DynamoDB's "
     "range"),
    ({"username": "ada", "bad": "\ud800"}, "a string is not valid Unicode (a lone surrogate)"),
    ({"username": "\ud800"}, "a string is not valid Unicode (a lone surrogate)"),
])
def test_a_plain_record_is_refused_with_a_reason(record: object, reason: str) -> None:
    assert rejection(record) == reason


@pytest.mark.parametrize(("record", "reason"), [
    ({"customer": "c"}, "the sort key 'order' is missing"),
    ({"customer": "c", "order": True}, "the sort key 'order' must be a number (N), got a boolean "
                                       "(BOOL)"),
    ({"customer": "c", "order": "1"}, "the sort key 'order' must be a number (N), got a string "
                                      "(S)"),
])
def test_the_sort_key_is_checked_too(record: object, reason: str) -> None:
    assert rejection(record, BY_ORDER) == reason


@pytest.mark.parametrize(("record", "reason"), [
    ({"digest": "not base64!"}, "attribute digest: binary values must be base64 text"),
    ({"digest": ""}, "the partition key 'digest' must not be empty"),
])
def test_binary_keys_are_checked(record: object, reason: str) -> None:
    assert rejection(record, BY_DIGEST) == reason


@pytest.mark.parametrize(("record", "reason"), [
    ({"username": "ada"}, "attribute username: a DynamoDB JSON value is an object with one type "
                          'key, such as {"S": "text"}'),
    ({"username": {"STR": "ada"}}, "attribute username: unknown DynamoDB type 'STR'; use one of "
                                   "S, N, B, BOOL, NULL, M, L, SS, NS, BS"),
    ({"username": {"S": 1}}, "attribute username: S holds a string, got a number"),
    ({"username": {"N": "1"}}, "the partition key 'username' must be a string (S), got a number "
                               "(N)"),
    ({"username": {"S": "a"}, "n": {"N": "one"}},
     "attribute n: N 'one' is not a number DynamoDB can store (finite, at most 38 significant "
     "digits)"),
    ({"username": {"S": "a"}, "n": {"N": "Infinity"}}, "attribute n: N 'Infinity' is not a "
     "number DynamoDB can store (finite, at most 38 significant digits)"),
    ({"username": {"S": "a"}, "n": {"N": "1" * 39}}, f"attribute n: N '{'1' * 39}' is not a "
     "number DynamoDB can store (finite, at most 38 significant digits)"),
    ({"username": {"S": "a"}, "n": {"N": True}}, "attribute n: N holds a number as a string, got "
                                                 "a boolean"),
    ({"username": {"S": "a"}, "b": {"B": 5}}, "attribute b: B holds base64 text, got a number"),
    ({"username": {"S": "a"}, "f": {"BOOL": "yes"}}, "attribute f: BOOL holds true or false, got "
                                                     "a string"),
    ({"username": {"S": "a"}, "f": {"NULL": False}}, "attribute f: NULL holds true"),
    ({"username": {"S": "a"}, "s": {"SS": []}}, "attribute s: SS holds a non-empty array, got "
                                                "an array"),
    ({"username": {"S": "a"}, "s": {"NS": ["1", "1.0"]}}, "attribute s: NS holds duplicate "
                                                          "values; a set's values are unique"),
    ({"username": {"S": "a"}, "m": {"M": []}}, "attribute m: M holds an object, got an array"),
    ({"username": {"S": "a"}, "l": {"L": {}}}, "attribute l: L holds an array, got an object"),
    ({"username": {"S": "a"}, "m": {"M": {"inner": {"L": [{"S": "ok"}, {"N": "x"}]}}}},
     "attribute m.inner[1]: N 'x' is not a number DynamoDB can store (finite, at most 38 "
     "significant digits)"),
])
def test_a_typed_record_is_refused_with_the_attribute_path(record: object, reason: str) -> None:
    assert rejection(record, typed=True) == reason


def test_items_over_400_kb_are_refused() -> None:
    fits = {"username": "ada", "bio": "x" * (MAX_ITEM_BYTES - 20)}
    to_item(fits, BY_NAME, typed=False)
    too_big = {"username": "ada", "bio": "x" * MAX_ITEM_BYTES}
    assert rejection(too_big) == ("the item is about 400 KB; DynamoDB stores at most 400 KB per "
                                  "item")


@pytest.mark.parametrize(("item", "size"), [
    ({"a": {"S": "héllo"}}, 1 + 6),
    ({"a": {"B": b"123"}, "bb": {"BOOL": True}, "c": {"NULL": True}}, 4 + 3 + 2),
    ({"a": {"M": {"k": {"S": "v"}}}}, 1 + 3 + 1 + 1 + 1),
    ({"a": {"L": [{"S": "v"}, {"S": "w"}]}}, 1 + 3 + 2 * (1 + 1)),
    ({"a": {"SS": ["x", "yy"]}, "b": {"BS": [b"12"]}}, 1 + 3 + 1 + 2),
])
def test_item_size_follows_dynamodbs_rules(item: dict[str, Any], size: int) -> None:
    assert item_size(item) == size


def test_number_sizes_are_estimated_from_above() -> None:
    # DynamoDB: about one byte per two significant digits, plus one.
    assert item_size({"n": {"N": "12345678901234567890"}}) >= 1 + 11
    assert item_size({"n": {"NS": ["1", "22"]}}) >= 1 + 2 + 2


@pytest.mark.parametrize("typed", [False, True])
def test_absurdly_deep_nesting_is_refused_not_a_crash(typed: bool) -> None:
    value: object = {"S": "bottom"} if typed else "bottom"
    for _ in range(100_000):
        value = {"L": [value]} if typed else [value]
    assert rejection({"username": {"S": "ada"} if typed else "ada", "deep": value},
                     typed=typed) == "the record nests deeper than DynamoDB's 32 levels"
