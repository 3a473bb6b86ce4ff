"""Documentation made from the source: every schema property described, docs/manifest.md
current, and a starter manifest that shows every section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

from shipway.cli import app
from shipway.manifest.application import Application
from shipway.manifest.reference import reference_markdown

if TYPE_CHECKING:
    import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "manifest.md"


def _undescribed(schema: dict[str, Any]) -> list[str]:
    models = {"(root)": schema, **schema["$defs"]}
    return [
        f"{model}.{key}"
        for model, definition in models.items()
        for key, field in definition.get("properties", {}).items()
        if not field.get("description")
    ]


def test_every_property_of_the_schema_has_a_description() -> None:
    assert _undescribed(Application.model_json_schema()) == []


def test_docs_manifest_md_is_generated_from_the_models() -> None:
    assert DOCS.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/manifest.md is stale: run 'shipway schema --format markdown -o docs/manifest.md'"
    )


def test_the_reference_documents_every_section_and_override_rules() -> None:
    text = reference_markdown()
    for title in (
        "## Environment",
        "## Service",
        "## Table",
        "## Cache",
        "## Bucket",
        "## Secret",
        "## Queue",
        "## Topic",
    ):
        assert title in text
    assert "lists and other\nvalues replaced whole" in text


def test_init_writes_a_schema_line_every_section_and_a_valid_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "My_Shop 2"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "there is no Dockerfile here yet" in result.output
    assert CliRunner().invoke(app, ["validate"]).exit_code == 2  # it says so too
    (folder / "Dockerfile").write_text("FROM python:3.11-slim\n")
    text = (folder / "shipway.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./shipway.schema.json\n")
    assert (folder / "shipway.schema.json").is_file()
    assert "name: my-shop-2\n" in text
    for section in (
        "environments:",
        "services:",
        "tables:",
        "caches:",
        "buckets:",
        "secrets:",
        "seed:",
    ):
        assert re.search(rf"^(# )?{section}", text, re.MULTILINE), section
    assert CliRunner().invoke(app, ["validate"]).exit_code == 0


def test_init_refuses_a_bad_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", "-f", str(tmp_path / "s.yml"), "--name", "Bad_Name"])
    assert result.exit_code == 2 and "--name 'Bad_Name'" in result.stderr
