"""Go's filepath.Match, checked against the table of Go's own match_test.go (Unix cases)."""

from __future__ import annotations

import pytest

from shipway.image.filepath_match import filepath_match, has_wildcards
from shipway.image.patterns import BadPatternError

BAD = None  # Go answers ErrBadPattern
GO_MATCH_TESTS = [
    ("abc", "abc", True), ("*", "abc", True), ("*c", "abc", True), ("a*", "a", True),
    ("a*", "abc", True), ("a*", "ab/c", False), ("a*/b", "abc/b", True), ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True), ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False), ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True), ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True), ("ab[b-d]", "abc", True), ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False), ("ab[^b-d]", "abc", False), ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True), ("a\\*b", "ab", False), ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True), ("a???b", "a☺b", False), ("a[^a][^a][^a]b", "a☺b", False),
    ("[a-ζ]*", "α", True), ("*[a-ζ]", "A", False), ("a?b", "a/b", False), ("a*b", "a/b", False),
    ("[\\]a]", "]", True), ("[\\-]", "-", True), ("[x\\-]", "x", True), ("[x\\-]", "-", True),
    ("[x\\-]", "z", False), ("[\\-x]", "x", True), ("[\\-x]", "-", True), ("[\\-x]", "a", False),
    ("[]a]", "]", BAD), ("[-]", "-", BAD), ("[x-]", "x", BAD), ("[x-]", "-", BAD),
    ("[x-]", "z", BAD), ("[-x]", "x", BAD), ("[-x]", "-", BAD), ("[-x]", "a", BAD),
    ("\\", "a", BAD), ("[a-b-c]", "a", BAD), ("[", "a", BAD), ("[^", "a", BAD),
    ("[^bc", "a", BAD), ("a[", "a", BAD), ("a[", "ab", BAD), ("a[", "x", BAD),
    ("a/b[", "x", BAD), ("*x", "xxx", True),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "name", "expected"), GO_MATCH_TESTS)
def test_go_match_table(pattern: str, name: str, expected: bool | None) -> None:
    if expected is BAD:
        with pytest.raises(BadPatternError):
            filepath_match(pattern, name)
    else:
        assert filepath_match(pattern, name) is expected


def test_a_character_class_can_match_a_slash_as_in_go() -> None:
    # the legacy builder matches whole relative paths, so `a[^x]b` reaches into a/b
    assert filepath_match("a[^x]b", "a/b")
    assert not filepath_match("a?b", "a/b")


@pytest.mark.parametrize(
    ("source", "expected"),
    [("app/*.py", True), ("file?.txt", True), ("[ab].txt", True), ("app/", False),
     ("a\\*b", False), ("a\\**", True), (".", False)],
)  # fmt: skip
def test_which_sources_docker_treats_as_patterns(source: str, expected: bool) -> None:
    assert has_wildcards(source) is expected
