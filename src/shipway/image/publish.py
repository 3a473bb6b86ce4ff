"""Build a service's image and push it, or do neither when its registry already has the tag."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.image.commands import ignore_line, run_streaming
from shipway.image.content_inputs import content_inputs
from shipway.image.content_tag import tag_for
from shipway.image.engines import detect_engine
from shipway.image.errors import BuildFailedError, PushFailedError, RegistryLoginError
from shipway.image.platforms import check_can_build
from shipway.image.source import BuiltImage, PushedImage

if TYPE_CHECKING:
    from shipway.image.commands import LineSink
    from shipway.image.engines import ContainerEngine
    from shipway.image.registries import Registry
    from shipway.image.source import ImageSource

SHOWN_LINES = 15


def publish_image(
    source: ImageSource,
    *,
    repository: str,
    registry: Registry,
    engine: ContainerEngine | None = None,
    on_line: LineSink = ignore_line,
) -> PushedImage:
    """The image of source in repository, by digest; built and pushed only if its tag is new."""
    inputs = content_inputs(source)
    if inputs.whole_context_because:
        on_line(
            f"{source.service}: its content tag covers the whole build context "
            f"({inputs.whole_context_because})"
        )
    tag = tag_for(source, inputs)
    uri = registry.repository_uri(repository)
    digest = registry.existing_digest(repository, tag)
    if digest is not None:
        return PushedImage(source.service, f"{uri}@{digest}", tag, digest, status="unchanged")
    engine = engine or detect_engine()
    built = build_image(source, engine=engine, reference=f"{uri}:{tag}", on_line=on_line)
    return push_image(built, engine=engine, registry=registry, on_line=on_line)


def build_image(
    source: ImageSource,
    *,
    engine: ContainerEngine,
    reference: str,
    on_line: LineSink = ignore_line,
) -> BuiltImage:
    """Build source with engine, tagged reference (`<repository URI>:<tag>`)."""
    check_can_build(source.service, source.platform)
    status, last = run_streaming(
        engine.build_argv(source, reference), on_line=on_line, env=engine.env
    )
    if status != 0:
        raise BuildFailedError(
            f"building {source.service}'s image failed ({engine.name} exited {status}); "
            f"its last lines:\n" + "\n".join(last[-SHOWN_LINES:]),
            last,
        )
    return BuiltImage(
        source=source, reference=reference, tag=reference.rsplit(":", 1)[1], engine=engine.name
    )


def push_image(
    built: BuiltImage,
    *,
    engine: ContainerEngine,
    registry: Registry,
    on_line: LineSink = ignore_line,
) -> PushedImage:
    """Push a built image (logging in first when the registry wants it); return its digest."""
    uri = built.reference.removesuffix(":" + built.tag)
    with tempfile.TemporaryDirectory(prefix="shipway-push-") as scratch:
        auth_dir = _login(engine, registry, Path(scratch))
        digest_file = Path(scratch) / "digest"
        argv = engine.push_argv(
            built.reference, auth_dir=auth_dir, digest_file=digest_file, tls=registry.tls
        )
        status, last = run_streaming(argv, on_line=on_line, env=engine.env)
        if status != 0:
            raise PushFailedError(
                f"pushing {built.source.service}'s image to {uri} failed ({engine.name} exited "
                f"{status}); its last lines:\n" + "\n".join(last[-SHOWN_LINES:]),
                last,
            )
        digest = _pushed_digest(engine, built.reference, uri, digest_file)
    return PushedImage(built.source.service, f"{uri}@{digest}", built.tag, digest)


def _login(engine: ContainerEngine, registry: Registry, scratch: Path) -> Path | None:
    """Log in with a throw-away credentials folder, so no token outlives the push."""
    credentials = registry.credentials()
    if credentials is None:
        return None
    auth_dir = scratch / "auth"
    auth_dir.mkdir(mode=0o700)
    argv = engine.login_argv(credentials.registry, credentials.username, auth_dir, tls=registry.tls)
    status, last = run_streaming(argv, stdin_text=credentials.password, env=engine.env)
    if status != 0:
        raise RegistryLoginError(
            f"logging in to {credentials.registry} failed ({engine.name} exited {status}): "
            + (last[-1] if last else "no output")
        )
    return auth_dir


def _pushed_digest(engine: ContainerEngine, reference: str, uri: str, digest_file: Path) -> str:
    if engine.name != "docker":
        return digest_file.read_text(encoding="utf-8").strip()
    answer = subprocess.run(  # noqa: S603 - argv built by the engine
        engine.repo_digests_argv(reference),
        env=engine.env,
        capture_output=True,
        text=True,
        check=True,
    )
    for repo_digest in json.loads(answer.stdout) or []:
        name, _, digest = repo_digest.partition("@")
        if name == uri:
            return str(digest)
    raise PushFailedError(f"{engine.name} pushed {reference} but reports no digest for it", [])
