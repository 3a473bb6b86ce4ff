"""The command an image runs, from its Dockerfile."""

from __future__ import annotations

from shipway.dev.dockerfile import command_argv, image_command, instructions


def test_exec_form_cmd() -> None:
    assert image_command('FROM python:3.11\nCMD ["python", "-m", "magic8ball"]\n') == [
        "python",
        "-m",
        "magic8ball",
    ]


def test_entrypoint_then_cmd() -> None:
    text = 'FROM x\nENTRYPOINT ["uvicorn"]\nCMD ["app:app", "--port", "8080"]\n'
    assert image_command(text) == ["uvicorn", "app:app", "--port", "8080"]


def test_the_last_cmd_of_the_final_stage_wins() -> None:
    text = (
        'FROM python:3.11 AS build\nCMD ["build"]\n'
        'FROM python:3.11-slim\nCMD ["python", "old"]\nCMD ["python", "-m", "app"]\n'
    )
    assert image_command(text) == ["python", "-m", "app"]


def test_a_stage_inherits_from_an_earlier_stage() -> None:
    text = 'FROM python:3.11 AS base\nCMD ["python", "-m", "app"]\nFROM base\nENV A=1\n'
    assert image_command(text) == ["python", "-m", "app"]


def test_a_new_entrypoint_resets_the_inherited_cmd() -> None:
    text = 'FROM python AS base\nCMD ["serve"]\nFROM base\nENTRYPOINT ["python", "main.py"]\n'
    assert image_command(text) == ["python", "main.py"]


def test_continued_lines_and_comments() -> None:
    # as in Docker, a continued line keeps its leading whitespace
    text = 'FROM x\n# CMD ["no"]\nCMD ["python", \\\n     "-m", "app"]\n'
    assert instructions(text)[-1] == ("CMD", '["python",      "-m", "app"]')
    assert image_command(text) == ["python", "-m", "app"]


def test_shell_form_is_split_unless_it_needs_a_shell() -> None:
    assert command_argv("python -m app --port 8080") == ["python", "-m", "app", "--port", "8080"]
    assert command_argv("python -m app --port $PORT") == [
        "/bin/sh",
        "-c",
        "python -m app --port $PORT",
    ]


def test_an_init_shim_is_dropped() -> None:
    text = 'FROM x\nENTRYPOINT ["tini", "--"]\nCMD ["python", "-m", "app"]\n'
    assert image_command(text) == ["python", "-m", "app"]


def test_no_command_at_all() -> None:
    assert image_command("FROM python:3.11\nRUN pip install x\n") == []


MULTI_IMAGE = """\
ARG SERVICE=web
FROM python:3.11-slim AS runtime
WORKDIR /app
FROM runtime AS api
CMD ["python", "-m", "api"]
FROM runtime AS web
CMD ["python", "-m", "web"]
FROM ${SERVICE}
"""


def test_a_build_target_picks_its_stage() -> None:
    assert image_command(MULTI_IMAGE, target="api") == ["python", "-m", "api"]


def test_a_final_stage_named_by_an_argument_uses_its_default_or_the_build_args() -> None:
    assert image_command(MULTI_IMAGE) == ["python", "-m", "web"]
    assert image_command(MULTI_IMAGE, build_args={"SERVICE": "api"}) == ["python", "-m", "api"]


def test_the_manifest_command_replaces_cmd_and_keeps_entrypoint() -> None:
    text = 'FROM python\nENTRYPOINT ["python", "-m"]\nCMD ["shop_cart"]\n'
    assert image_command(text, command=["shop_cart.fulfilment"]) == [
        "python",
        "-m",
        "shop_cart.fulfilment",
    ]


def test_the_manifest_entrypoint_replaces_entrypoint_and_drops_cmd_as_docker_does() -> None:
    text = 'FROM python\nENTRYPOINT ["python", "-m"]\nCMD ["shop_cart"]\n'
    assert image_command(text, entrypoint=["/bin/worker"]) == ["/bin/worker"]
    assert image_command(text, entrypoint=["python"], command=["-V"]) == ["python", "-V"]
