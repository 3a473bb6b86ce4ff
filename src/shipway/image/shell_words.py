"""The shell-like words of Dockerfile arguments: splitting them, and expanding build arguments.

`split_words` follows Docker's ``parseWords`` (quotes kept, the escape token keeps the next
character in the word). `expand` follows the subset of buildkit's ``shell.Lex.ProcessWord`` that
a FROM line or an ARG default uses in practice: quotes, escapes, ``$NAME``, ``${NAME}`` and the
``-``, ``:-``, ``+``, ``:+`` forms. Anything else is refused rather than guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

NAME = re.compile(r"[A-Za-z0-9_]+")
OPERATORS = (":-", ":+", "-", "+")


class UnexpandableWordError(ValueError):
    """The word uses a variable nobody declared, or an expansion this module does not do."""


def split_words(text: str, escape: str) -> list[str]:
    """Words separated by whitespace outside quotes; quotes and escapes stay in the words."""
    words: list[str] = []
    word, quote, in_word = "", "", False
    position = 0
    while position < len(text):
        char = text[position]
        if not quote and char.isspace():
            if in_word:
                words.append(word)
            word, in_word = "", False
        else:
            in_word = True
            if char == escape and quote != "'":
                if position + 1 == len(text):
                    break  # an escape token at the very end is dropped
                word += char
                position += 1
                char = text[position]
            elif char == quote:
                quote = ""
            elif not quote and char in "'\"":
                quote = char
            word += char
        position += 1
    if in_word:
        words.append(word)
    return words


def expand(word: str, values: Mapping[str, str | None], escape: str = "\\") -> str:
    """word with quotes removed and variables replaced; None in values means declared but unset."""
    return _Expansion(word, values, escape).run()


class _Expansion:
    def __init__(self, word: str, values: Mapping[str, str | None], escape: str) -> None:
        self.word, self.values, self.escape, self.position = word, values, escape, 0

    def run(self, stop: str = "") -> str:
        out: list[str] = []
        while self.position < len(self.word) and self.word[self.position] not in stop:
            char = self._next()
            if char == "'":
                out.append(self._until("'"))
            elif char == '"':
                out.append(self._double_quoted())
            elif char == "$":
                out.append(self._dollar())
            elif char == self.escape:
                out.append(self._next() if self.position < len(self.word) else "")
            else:
                out.append(char)
        return "".join(out)

    def _next(self) -> str:
        char = self.word[self.position]
        self.position += 1
        return char

    def _until(self, end: str) -> str:
        closing = self.word.find(end, self.position)
        if closing < 0:
            raise UnexpandableWordError(f"{self.word!r}: unmatched {end}")
        text, self.position = self.word[self.position : closing], closing + 1
        return text

    def _double_quoted(self) -> str:
        out: list[str] = []
        while True:
            if self.position >= len(self.word):
                raise UnexpandableWordError(f'{self.word!r}: unmatched "')
            char = self._next()
            if char == '"':
                return "".join(out)
            if char == "$":
                out.append(self._dollar())
            elif char == self.escape and self.word[self.position : self.position + 1] in (
                '"',
                "$",
                self.escape,
            ):
                out.append(self._next())
            else:
                out.append(char)

    def _dollar(self) -> str:
        if self.word[self.position : self.position + 1] == "{":
            self.position += 1
            return self._braced()
        match = NAME.match(self.word, self.position)
        if not match:
            return "$"
        self.position = match.end()
        return self._value(match[0]) or ""

    def _braced(self) -> str:
        match = NAME.match(self.word, self.position)
        if not match:
            raise UnexpandableWordError(f"{self.word!r}: a ${{...}} form this check does not read")
        self.position, name = match.end(), match[0]
        operator = next((op for op in OPERATORS if self.word.startswith(op, self.position)), "")
        self.position += len(operator)
        alternative = self.run(stop="}") if operator else ""
        if self.word[self.position : self.position + 1] != "}":
            raise UnexpandableWordError(f"{self.word!r}: a ${{...}} form this check does not read")
        self.position += 1
        return _apply(operator, self._value(name), alternative)

    def _value(self, name: str) -> str | None:
        if name not in self.values:
            raise UnexpandableWordError(f"${name} is not a declared build argument")
        return self.values[name]


def _apply(operator: str, value: str | None, alternative: str) -> str:
    if operator == ":-":
        return value or alternative
    if operator == "-":
        return alternative if value is None else value
    if operator == ":+":
        return alternative if value else ""
    if operator == "+":
        return "" if value is None else alternative
    return value or ""
