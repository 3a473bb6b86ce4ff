"""Splitting Dockerfile words and expanding build arguments in them."""

from __future__ import annotations

import pytest

from shipway.image.shell_words import UnexpandableWordError, expand, split_words

VALUES: dict[str, str | None] = {"SERVICE": "web", "EMPTY": "", "UNSET": None}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("${SERVICE}", "web"), ("$SERVICE", "web"), ("img:${SERVICE}-1", "img:web-1"),
        ("${UNSET}", ""), ("${UNSET:-api}", "api"), ("${EMPTY:-api}", "api"),
        ("${EMPTY-api}", ""), ("${UNSET-api}", "api"), ("${SERVICE:+x}", "x"),
        ("${EMPTY:+x}", ""), ("${EMPTY+x}", "x"), ("${UNSET+x}", ""),
        ("${UNSET:-${SERVICE}}", "web"), ('"a b"', "a b"), ("'$SERVICE'", "$SERVICE"),
        ('"$SERVICE"', "web"), ("\\$SERVICE", "$SERVICE"), ("cost$", "cost$"),
    ],
)  # fmt: skip
def test_expansion(word: str, expected: str) -> None:
    assert expand(word, VALUES) == expected


@pytest.mark.parametrize("word", ["${NOBODY}", "$NOBODY", "${SERVICE%b}", "${SERVICE", "'open"])
def test_what_is_not_expanded_is_refused(word: str) -> None:
    with pytest.raises(UnexpandableWordError):
        expand(word, VALUES)


def test_words_keep_their_quotes_and_split_on_unquoted_space() -> None:
    assert split_words('A=1 B="x y" C=\'p q\' D=a\\ b', "\\") == [
        "A=1", 'B="x y"', "C='p q'", "D=a\\ b"]  # fmt: skip
