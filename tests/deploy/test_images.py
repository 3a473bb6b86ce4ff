"""Which image each service runs: content tags, `image.uri`, and `--image SERVICE=URI`."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from shipway.deploy.images import ImageReference, ecr_image, image_overrides, image_references
from shipway.errors import UserError
from shipway.manifest import load_manifest, resolve

if TYPE_CHECKING:
    from pathlib import Path

DIGEST = "sha256:" + "a" * 64


@pytest.fixture
def manifest_dir(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nCOPY app.py /app/\n")
    (tmp_path / "app.py").write_text("print('hello')\n")
    (tmp_path / "shipway.yml").write_text(
        textwrap.dedent("""\
        name: shop
        environments:
          test: {account: "123456789012", region: us-east-1}
        services:
          web: {image: {build: {context: .}}}
          api: {type: backend, image: {build: {context: .}}}
          proxy: {type: backend, image: {uri: public.ecr.aws/nginx/nginx:1.27}}
    """)
    )
    return tmp_path


def test_built_services_run_their_content_tag_others_their_uri(manifest_dir: Path) -> None:
    manifest = load_manifest(manifest_dir / "shipway.yml")
    plan = resolve(manifest, "test")
    first = image_references(manifest, plan)
    assert first["web"].tag is not None and first["web"].tag.startswith("src-")
    assert first["proxy"] == ImageReference(uri="public.ecr.aws/nginx/nginx:1.27")
    # THEN the same sources give the same tags, and a changed file another
    assert image_references(manifest, plan) == first
    (manifest_dir / "app.py").write_text("print('changed')\n")
    assert image_references(manifest, plan)["web"] != first["web"]


def test_an_override_runs_a_prebuilt_image(manifest_dir: Path) -> None:
    manifest = load_manifest(manifest_dir / "shipway.yml")
    plan = resolve(manifest, "test")
    uri = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-test-web@{DIGEST}"
    references = image_references(manifest, plan, image_overrides([f"web={uri}"], plan))
    assert references["web"] == ImageReference(uri=uri)
    assert references["api"].tag is not None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("web", "write SERVICE=URI"),
        ("=x", "write SERVICE=URI"),
        ("shop=nginx:1", "there is no service 'shop' (services: web, api, proxy)"),
        ("web=not an image", "is not an image URI"),
    ],
)
def test_bad_image_overrides_say_what_to_write(manifest_dir: Path, value: str, words: str) -> None:
    plan = resolve(load_manifest(manifest_dir / "shipway.yml"), "test")
    with pytest.raises(UserError, match=words.replace("(", r"\(").replace(")", r"\)")):
        image_overrides([value], plan)


def test_a_job_built_from_source_has_its_own_tag_and_takes_an_override(manifest_dir: Path) -> None:
    (manifest_dir / "report").mkdir()
    (manifest_dir / "report" / "Dockerfile").write_text("FROM python:3.11-slim\nCMD [true]\n")
    manifest_file = manifest_dir / "shipway.yml"
    manifest_file.write_text(
        manifest_file.read_text()
        + "jobs:\n  report: {image: {build: {context: report}}, schedule: rate(1 day)}\n"
        + "  tidy: {image: {service: api}, schedule: rate(1 day)}\n"
    )
    manifest = load_manifest(manifest_file)
    plan = resolve(manifest, "test")
    references = image_references(manifest, plan)
    assert references["report"].tag is not None and references["report"].tag.startswith("src-")
    assert references["report"] != references["web"]  # its own sources, its own tag
    assert "tidy" not in references  # it runs api's image, which api's reference names
    uri = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-test-report@{DIGEST}"
    overridden = image_references(manifest, plan, image_overrides([f"report={uri}"], plan))
    assert overridden["report"] == ImageReference(uri=uri)
    with pytest.raises(UserError, match="jobs built from source: report"):
        image_overrides([f"tidy={uri}"], plan)


def test_a_service_given_twice_is_an_error(manifest_dir: Path) -> None:
    plan = resolve(load_manifest(manifest_dir / "shipway.yml"), "test")
    with pytest.raises(UserError, match="given twice"):
        image_overrides(["web=nginx:1", "web=nginx:2"], plan)


def test_ecr_uris_are_split_for_pull_grants() -> None:
    found = ecr_image(f"210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/web@{DIGEST}")
    assert found is not None
    assert (found.account, found.region, found.repository, found.tag_or_digest) == (
        "210987654321",
        "eu-west-1",
        "shop/web",
        DIGEST,
    )
    assert ecr_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:src-1").tag_or_digest == (  # type: ignore[union-attr]
        "src-1"
    )
    assert ecr_image("public.ecr.aws/nginx/nginx:1.27") is None
