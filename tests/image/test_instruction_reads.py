"""What one instruction reads from the build context and from other stages."""

from __future__ import annotations

import pytest

from shipway.image.dockerfile import parse_dockerfile
from shipway.image.instruction_reads import Reads, WholeContextNeededError, instruction_reads


def _reads(line: str, escape: str = "\\") -> Reads:
    header = "# escape=`\n" if escape == "`" else ""
    parsed = parse_dockerfile(f"{header}FROM alpine\n{line}\n")
    return instruction_reads(parsed.instructions[-1], parsed.escape)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("COPY requirements.txt .", Reads(context=("requirements.txt",))),
        ("COPY a.txt b/ c*.py /dest/", Reads(context=("a.txt", "b/", "c*.py"))),
        ('COPY ["with space.txt", "b", "/dest/"]', Reads(context=("with space.txt", "b"))),
        ("COPY --chown=10001:10001 --chmod=644 --link src/ /app/", Reads(context=("src/",))),
        ('COPY --chown="app:app" ["a", "/b"]', Reads(context=("a",))),
        ("COPY . /app", Reads(context=(".",))),
        ("COPY --from=builder /opt/venv /opt/venv", Reads(stages=("builder",))),
        ("COPY --from=nginx:1.27 /etc/nginx /etc/nginx", Reads(stages=("nginx:1.27",))),
        ("ADD https://example.com/tool.tgz /opt/", Reads()),
        ("ADD git@github.com:moby/buildkit.git /src", Reads()),
        ("ADD --checksum=sha256:abc https://example.com/a /a", Reads()),
        ("ADD vendor.tgz https://example.com/x /opt/", Reads(context=("vendor.tgz",))),
        ("RUN --mount=type=cache,target=/root/.cache pip install x", Reads()),
        ("RUN --mount=type=secret,id=token cat /run/secrets/token", Reads()),
        ("RUN --mount=type=bind,from=wheels,target=/w pip install /w/*", Reads(stages=("wheels",))),
        ("RUN --network=none make", Reads()),
        ("ENV A=$B", Reads()),
        ("HEALTHCHECK --interval=30s CMD true", Reads()),
        ("WORKDIR /app", Reads()),
    ],
)
def test_reads(line: str, expected: Reads) -> None:
    assert _reads(line) == expected


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("COPY $APP /app", "COPY source $APP has a variable"),
        ("COPY ${APP}/ /app/", "COPY source ${APP}/ has a variable"),
        ('COPY "quoted" /app', "has a variable, quote or escape"),
        ("COPY a\\ b /app", "has a variable, quote or escape"),
        ("COPY --from=${STAGE} /x /x", "--from=${STAGE} uses a variable"),
        ("COPY <<EOF /app/config\nx\nEOF", "a heredoc (<<EOF)"),
        ("RUN <<EOF\nmake\nEOF", "a heredoc (<<EOF)"),
        ("RUN --mount=type=bind,source=.,target=/src make", "binds files of the build context"),
        ("RUN --mount=target=/src make", "binds files of the build context"),
        ("RUN --mount=type=bind,from=$STAGE,target=/s make", "uses a variable"),
        ("RUN --mount=type=magic,target=/s make", "type=magic, a mount type not known"),
        ("ONBUILD COPY . /app", "ONBUILD"),
        ("COPY --sparkle a /b", "COPY --sparkle, a flag not known here"),
        ("RUN --device=x make", "RUN --device"),
        ("COPY onlyone", "COPY without a source and a destination"),
        ("BUILD everything", "unknown instruction BUILD"),
    ],
)
def test_what_cannot_be_read_from_the_text_says_why(line: str, words: str) -> None:
    with pytest.raises(WholeContextNeededError) as raised:
        _reads(line)
    assert words in raised.value.reason
    assert raised.value.reason.startswith("line 2: ")


def test_a_backtick_escape_escapes_in_sources_too() -> None:
    with pytest.raises(WholeContextNeededError, match="quote or escape"):
        _reads("COPY a`$b /app", escape="`")
