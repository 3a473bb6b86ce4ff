"""Fuzzing `shipway validate` through the real CLI: generated and mutated manifests (fixed seed).

Whatever the input, the answer is exit 0, or exit 2 with every line located as
`file:line:column: ...`; never a traceback, never exit 1, never a hang.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shipway.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted([*ROOT.glob("examples/*/shipway.yml"), *ROOT.glob("tests/data/*/shipway.yml")])
CASES = 600
SEED = 20261202
# Pieces a mutation inserts: YAML syntax, hostile characters, names the schema knows.
FRAGMENTS = [
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: *a",
    "!tag ",
    "? ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "\t",
    "\x00",
    "\x1b",
    "\x7f",
    "\u202e",
    "null",
    "~",
    "true",
    "0x1F",
    "1e309",
    "-1",
    "123456789012",
    "services",
    "environments",
    "uses",
    "autoscaling",
    "compute: express",
    "type: backend",
    "partition_key",
    "loader",
    "environments:\n      prod: {cpu: 1}",
    "[" * 80,
    "{a: " * 70,
    "é",
    "😀",
    "\ufeff",
]
LOCATED = re.compile(r"^.+:\d+:\d+: ")


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True) or ["\n"]
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        action = rng.randrange(7)
        if action == 0 and len(lines) > 1:
            del lines[index]
        elif action == 1:
            lines.insert(index, lines[rng.randrange(len(lines))])
        elif action == 2:
            lines[index] = " " * rng.randint(0, 9) + lines[index].lstrip(" ")
        elif action == 3:
            position = rng.randint(0, len(lines[index]))
            line = lines[index]
            lines[index] = line[:position] + rng.choice(FRAGMENTS) + line[position:]
        elif action == 4:
            head, _, _ = lines[index].partition(":")
            lines[index] = f"{head}: {rng.choice(FRAGMENTS)}\n"
        elif action == 5:
            lines = lines[: index + 1]
        else:
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
    return "".join(lines)


def _generated(rng: random.Random) -> str:
    """A manifest written from scratch: plausible shapes, random values."""

    def value() -> str:
        return rng.choice(
            [
                "1",
                "0",
                "-3",
                "x",
                "null",
                "[]",
                "{}",
                "[a, b]",
                "{a: 1}",
                '"s"',
                "256",
                "512",
                "express",
                "web",
                "read",
                "/path",
                "us-east-1",
            ]
        )

    keys = [
        "type",
        "image",
        "port",
        "cpu",
        "memory",
        "count",
        "autoscaling",
        "compute",
        "uses",
        "routing",
        "health_check",
        "environments",
        "deployment",
        "secrets",
        "local",
    ]
    body = [
        "name: fuzz\n",
        'environments:\n  test: {account: "123456789012", region: us-east-1}\n',
        "services:\n",
    ]
    for service in range(rng.randint(0, 3)):
        body.append(f"  s{service}:\n    image: {{uri: x}}\n")
        for key in rng.sample(keys, rng.randint(0, 5)):
            body.append(f"    {key}: {value()}\n")
    for section in rng.sample(["tables", "caches", "buckets", "secrets"], rng.randint(0, 2)):
        key = rng.choice(["partition_key", "loader", "generate", "replicas"])
        body.append(f"{section}:\n  d0: {{{key}: {value()}}}\n")
    return "".join(body)


def _inputs() -> list[str]:
    rng = random.Random(SEED)
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    inputs = []
    for number in range(CASES):
        if number % 4 == 3:
            inputs.append(_generated(rng))
        else:
            inputs.append(_mutate(rng.choice(texts), rng))
    return inputs


def test_validate_never_crashes_on_generated_and_mutated_manifests(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "shipway.yml"
    outcomes = {0: 0, 2: 0}
    slowest = 0.0
    for number, text in enumerate(_inputs()):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        started = time.monotonic()
        result = runner.invoke(app, ["validate", "-f", str(path)])
        slowest = max(slowest, time.monotonic() - started)
        context = f"case {number}:\n{text[:2000]}\n--- output:\n{result.output[:2000]}"
        assert result.exception is None or isinstance(result.exception, SystemExit), context
        assert result.exit_code in outcomes, context
        assert "Traceback" not in result.output, context
        outcomes[result.exit_code] += 1
        if result.exit_code == 2:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert lines, context
            assert all(LOCATED.match(line) for line in lines), context
    # Both outcomes occur, or the fuzzing would not be exercising anything.
    assert outcomes[0] > 0 and outcomes[2] > 0, outcomes
    assert slowest < 10, f"a case took {slowest:.1f} s: a hang in the making"


@pytest.mark.parametrize("seed", SEEDS, ids=[seed.parent.name for seed in SEEDS])
def test_the_seeds_themselves_validate(seed: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "-f", str(seed)])
    assert result.exit_code == 0, result.output
