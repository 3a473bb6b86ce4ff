"""The Dockerfile parser: instructions as Docker's parser makes them."""

from __future__ import annotations

import pytest

from shipway.image.dockerfile import (
    DockerfileSyntaxError,
    json_arguments,
    parse_dockerfile,
    whitespace_words,
)


def _lines(text: str) -> list[str]:
    return [instruction.original for instruction in parse_dockerfile(text).instructions]


def test_continued_lines_are_joined_and_comments_inside_them_dropped() -> None:
    text = "FROM x\nRUN a \\\n# inside\n\n  && b \\\n  && c\nCOPY y /y\n"
    assert _lines(text) == ["FROM x", "RUN a   && b   && c", "COPY y /y"]


def test_the_line_numbers_are_where_instructions_start() -> None:
    text = "# syntax=docker/dockerfile:1\n\nFROM x\nRUN a \\\n b\nCOPY y /y\n"
    assert [i.line for i in parse_dockerfile(text).instructions] == [3, 4, 6]


def test_the_escape_directive_changes_the_continuation_token() -> None:
    text = "# escape=`\nFROM x\nCOPY a\\b `\n  /dest\n"
    parsed = parse_dockerfile(text)
    assert parsed.escape == "`"
    assert parsed.instructions[-1].arguments == "a\\b   /dest"


def test_directives_end_at_the_first_other_line() -> None:
    # a directive after a blank line, a comment or an instruction is only a comment
    parsed = parse_dockerfile("# syntax=docker/dockerfile:1\n\n# escape=`\nFROM x\n")
    assert parsed.directives == {"syntax": "docker/dockerfile:1"}
    assert parsed.escape == "\\"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("# escape=x\nFROM a\n", "invalid escape token"),
        ("# escape=`\n# escape=\\\nFROM a\n", "only one escape"),
        ("# only a comment\n", "no instructions"),
        ("FROM a\nRUN <<EOF\necho\n", "unterminated heredoc"),
        ('FROM a\nCOPY ["a", 1]\n', "arrays must be strings"),
    ],
)
def test_what_docker_refuses_is_refused(text: str, words: str) -> None:
    with pytest.raises(DockerfileSyntaxError, match=words):
        parse_dockerfile(text)


def test_builder_flags_are_split_off_with_quotes_removed() -> None:
    text = 'FROM x\nCOPY --from=build --chown="app:app" --link src/ /app/\n'
    copy = parse_dockerfile(text).instructions[-1]
    assert copy.flags == ("--from=build", "--chown=app:app", "--link")
    assert copy.arguments == "src/ /app/"
    assert copy.flag_values("from") == ["build"]
    assert copy.flag_values("link") == ["true"]
    assert copy.rest == '--from=build --chown="app:app" --link src/ /app/'


def test_heredoc_bodies_are_not_read_as_instructions() -> None:
    text = "FROM x\nRUN <<EOF\nCOPY secret /secret\nEOF\nCOPY <<-END /f\n\tFROM y\n\tEND\nUSER 1\n"
    parsed = parse_dockerfile(text)
    assert [i.keyword for i in parsed.instructions] == ["FROM", "RUN", "COPY", "USER"]
    assert parsed.instructions[1].heredocs == ("EOF",)
    assert parsed.instructions[2].heredocs == ("END",)


def test_exec_form_is_not_a_heredoc() -> None:
    assert parse_dockerfile('FROM x\nRUN ["cat", "<<EOF"]\n').instructions[-1].heredocs == ()


def test_keywords_are_case_insensitive_and_a_bom_is_dropped() -> None:
    parsed = parse_dockerfile("\ufefffrom x AS base\ncopy a b\n")
    assert [i.keyword for i in parsed.instructions] == ["FROM", "COPY"]


def test_json_and_shell_forms() -> None:
    assert json_arguments('["a b", "/c"]') == ["a b", "/c"]
    assert json_arguments("[not json /c") is None  # Docker treats it as the shell form
    assert json_arguments("a /c") is None
    assert whitespace_words(" a\tb  /c ") == ["a", "b", "/c"]
    with pytest.raises(DockerfileSyntaxError):
        json_arguments('["a", 1]')
