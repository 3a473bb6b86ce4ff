"""Array elements come from parser events; an element nesting too deep is refused unbuilt."""

from __future__ import annotations

import io
import tracemalloc
from decimal import Decimal

import ijson
import pytest

from shipway.loader.arrays import MAX_DEPTH, TOO_DEEP, array_elements

BACKENDS = sorted({ijson.backend, "python"})


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("shipway.loader.arrays.ijson", ijson.get_backend(request.param))
    return str(request.param)


def elements(data: bytes) -> list[tuple[object, str | None]]:
    return list(array_elements(io.BytesIO(data), 16))


def nested(depth: int) -> bytes:
    return b'{"a": ' * depth + b"1" + b"}" * depth


def test_objects_arrays_and_scalars_are_built(backend: str) -> None:
    data = b'[{"u": "ada", "n": 1.5, "l": [1, {"x": null}]}, [true], "s", 2, null, {}]'
    assert elements(data) == [
        ({"u": "ada", "n": Decimal("1.5"), "l": [1, {"x": None}]}, None), ([True], None),
        ("s", None), (2, None), (None, None), ({}, None)]


def test_an_empty_array_has_no_elements(backend: str) -> None:
    assert elements(b"[]") == []


def test_nesting_up_to_the_limit_is_built(backend: str) -> None:
    [(value, refused)] = elements(b"[" + nested(MAX_DEPTH - 1) + b"]")
    assert refused is None
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(value, dict)
        value = value["a"]
    assert value == 1


def test_an_element_nesting_deeper_is_refused_and_the_next_still_comes(backend: str) -> None:
    data = b"[" + nested(MAX_DEPTH) + b', {"u": "bob"}]'
    assert elements(data) == [(None, TOO_DEEP), ({"u": "bob"}, None)]


def test_a_hostile_depth_costs_little_memory(backend: str) -> None:
    # Built, this element took gigabytes (ijson.items with yajl2_c was killed).
    depth = 100_000
    data = b'[{"u": "ada", "deep": ' + b"[" * depth + b"]" * depth + b'}, {"u": "bob"}]'
    tracemalloc.start()
    try:
        found = elements(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [(None, TOO_DEEP), ({"u": "bob"}, None)]
    assert peak < 4 * 1024 * 1024
