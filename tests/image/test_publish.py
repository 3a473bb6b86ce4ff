"""Build and push through a scripted engine: what it is told, what it sees on stdin, and errors.

The engine is a shell script standing in for docker, so the test can read exactly what a real
engine would receive; the real engines are exercised in tests/rehearsal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from shipway.image import (
    BuildFailedError,
    BuiltImage,
    ContainerEngine,
    EcrRegistry,
    ImageSource,
    RegistryLoginError,
    build_image,
    publish_image,
    push_image,
)

if TYPE_CHECKING:
    from shipway.emulators import MotoServer

SCRIPT = """#!/bin/sh
echo "$@" >> "{log}/argv"
case "$*" in
  *login*) cat > "{log}/stdin"; echo "Login Succeeded" ;;
  *build*) echo "Step 1/2 : FROM python"; echo "boom: no such image" >&2; exit {build_status} ;;
  *inspect*) echo '["{uri}@sha256:{digest}"]' ;;
  *push*) echo "The push refers to repository [{uri}]" ;;
esac
"""
URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app-test-web"


def _engine(tmp_path: Path, *, build_status: int = 0) -> ContainerEngine:
    script = tmp_path / "docker"
    script.write_text(
        SCRIPT.format(log=tmp_path, uri=URI, digest="a" * 64, build_status=build_status)
    )
    script.chmod(0o755)
    return ContainerEngine("docker", str(script))


SOURCE = ImageSource("web", Path("/src"), Path("/src/Dockerfile"))


def test_a_failed_build_raises_with_its_last_lines(tmp_path: Path) -> None:
    lines: list[str] = []
    with pytest.raises(BuildFailedError, match="web's image failed .docker exited 3") as failed:
        build_image(
            SOURCE, engine=_engine(tmp_path, build_status=3), reference="r:t", on_line=lines.append
        )
    assert failed.value.last_lines[-1] == "boom: no such image"
    assert "boom: no such image" in str(failed.value)
    assert lines == ["Step 1/2 : FROM python", "boom: no such image"]  # streamed as they came


def test_push_to_ecr_logs_in_with_the_password_on_stdin_only(
    tmp_path: Path, aws_env: MotoServer
) -> None:
    ecr = boto3.client("ecr", region_name="us-east-1")
    password = EcrRegistry(ecr).credentials().password
    built = BuiltImage(SOURCE, reference=f"{URI}:src-1", tag="src-1", engine="docker")
    shown: list[str] = []
    pushed = push_image(
        built, engine=_engine(tmp_path), registry=EcrRegistry(ecr), on_line=shown.append
    )
    assert (tmp_path / "stdin").read_text() == password
    argv = (tmp_path / "argv").read_text()
    assert password not in argv and all(password not in line for line in shown)
    assert (
        "login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com" in argv
    )
    assert pushed.uri == f"{URI}@sha256:{'a' * 64}"
    assert (pushed.digest, pushed.tag, pushed.status) == (f"sha256:{'a' * 64}", "src-1", "pushed")


def test_the_login_folder_does_not_outlive_the_push(tmp_path: Path, aws_env: MotoServer) -> None:
    ecr = boto3.client("ecr", region_name="us-east-1")
    built = BuiltImage(SOURCE, reference=f"{URI}:src-1", tag="src-1", engine="docker")
    push_image(built, engine=_engine(tmp_path), registry=EcrRegistry(ecr))
    config_dir = (tmp_path / "argv").read_text().split("--config ")[1].split()[0]
    assert not Path(config_dir).exists()


def test_a_refused_login_is_a_typed_error(tmp_path: Path, aws_env: MotoServer) -> None:
    engine = _engine(tmp_path)
    Path(engine.executable).write_text("#!/bin/sh\necho 'unauthorized: bad token'\nexit 1\n")
    built = BuiltImage(SOURCE, reference=f"{URI}:src-1", tag="src-1", engine="docker")
    with pytest.raises(RegistryLoginError, match="unauthorized: bad token"):
        push_image(
            built, engine=engine, registry=EcrRegistry(boto3.client("ecr", region_name="us-east-1"))
        )


class _RegistryWithEveryTag:
    """A registry that already holds any tag asked for: publishing builds nothing."""

    tls = True

    def repository_uri(self, repository: str) -> str:
        return f"registry.example/{repository}"

    def existing_digest(self, repository: str, tag: str) -> str | None:
        return "sha256:" + "b" * 64

    def credentials(self) -> None:
        return None


@pytest.mark.parametrize(
    ("dockerfile", "shown"),
    [
        ("FROM alpine\nCOPY app/ /app/\n", []),
        (
            "FROM alpine\nARG APP=app\nCOPY $APP/ /app/\n",
            ["web: its content tag covers the whole build context "
             "(line 3: COPY source $APP/ has a variable, quote or escape)"],
        ),
    ],
)  # fmt: skip
def test_publishing_says_when_the_tag_covers_the_whole_context(
    tmp_path: Path, dockerfile: str, shown: list[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    lines: list[str] = []
    pushed = publish_image(
        ImageSource("web", tmp_path, tmp_path / "Dockerfile"),
        repository="web",
        registry=_RegistryWithEveryTag(),
        engine=_engine(tmp_path),
        on_line=lines.append,
    )
    assert pushed.status == "unchanged"
    assert lines == shown
