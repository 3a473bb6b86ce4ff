"""Error messages name the attribute a problem sits in."""

from __future__ import annotations

from shipway.loader.errors import InvalidRecordError


def test_a_reason_without_a_path_is_the_detail() -> None:
    assert InvalidRecordError("the record is an empty object").reason == (
        "the record is an empty object")


def test_within_builds_the_path_from_the_inside_out() -> None:
    error = InvalidRecordError("N holds a number").within(2).within("items").within("order")
    assert error.reason == "attribute order.items[2]: N holds a number"
    assert str(error) == error.reason
