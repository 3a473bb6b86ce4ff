"""Converting JSON values to DynamoDB attribute values and back."""

from __future__ import annotations

import pytest
from three_tier_api.attributes import from_attribute, from_attributes, to_attribute, to_attributes


@pytest.mark.parametrize(
    ("value", "attribute"),
    [
        ("text", {"S": "text"}),
        (7, {"N": "7"}),
        (-0.5, {"N": "-0.5"}),
        (True, {"BOOL": True}),
        (None, {"NULL": True}),
        ([1, "a"], {"L": [{"N": "1"}, {"S": "a"}]}),
        ({"x": {"y": False}}, {"M": {"x": {"M": {"y": {"BOOL": False}}}}}),
    ],
)
def test_json_values_round_trip(value: object, attribute: dict[str, object]) -> None:
    assert to_attribute(value) == attribute
    assert from_attribute(attribute) == value


def test_bool_is_not_stored_as_a_number() -> None:
    assert to_attribute(False) == {"BOOL": False}


def test_numbers_come_back_as_int_or_float_by_their_form() -> None:
    assert from_attribute({"N": "42"}) == 42 and isinstance(from_attribute({"N": "42"}), int)
    assert from_attribute({"N": "1e+30"}) == 1e30
    assert from_attribute({"N": "2.50"}) == 2.5


def test_sets_and_binary_written_by_other_tools_become_json() -> None:
    item = {
        "ss": {"SS": ["b", "a"]},
        "ns": {"NS": ["3", "1.5"]},
        "b": {"B": b"\x00\xff"},
        "bs": {"BS": [b"b", b"a"]},
    }

    assert from_attributes(item) == {
        "ss": ["a", "b"],
        "ns": [1.5, 3],
        "b": "AP8=",
        "bs": ["YQ==", "Yg=="],
    }


def test_items_convert_attribute_by_attribute() -> None:
    assert to_attributes({"key": "k", "n": 1}) == {"key": {"S": "k"}, "n": {"N": "1"}}


def test_non_json_values_are_refused() -> None:
    with pytest.raises(TypeError):
        to_attribute(object())
