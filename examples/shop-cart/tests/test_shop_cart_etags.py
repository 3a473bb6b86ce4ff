"""If-Match uses strong comparison, If-None-Match weak; malformed headers match nothing."""

from __future__ import annotations

import pytest
from shop_cart.etags import if_match_allows, if_none_match_hits


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        (None, True),
        ('"3"', True),
        ("*", True),
        ('"1", "3"', True),
        (' "3" ', True),
        ('"4"', False),
        ('W/"3"', False),
        ('""', False),
    ],
)
def test_if_match(header: str | None, allowed: bool) -> None:
    assert if_match_allows(header, '"3"') is allowed


@pytest.mark.parametrize(
    ("header", "hit"), [(None, False), ('"3"', True), ('W/"3"', True), ("*", True), ('"4"', False)]
)
def test_if_none_match(header: str | None, hit: bool) -> None:
    assert if_none_match_hits(header, '"3"') is hit


@pytest.mark.parametrize("header", ["3", '"3', "", '"3" junk', "W/3"])
def test_malformed_headers_match_nothing(header: str) -> None:
    assert if_match_allows(header, '"3"') is False
    assert if_none_match_hits(header, '"3"') is False
