"""Manifests written to hurt a YAML reader, for tests and benchmarks of `shipway validate`."""

from __future__ import annotations

HEAD = 'name: a\nenvironments:\n  test: {account: "123456789012", region: us-east-1}\n'


def _laughs(levels: int = 9) -> str:
    # Each level lists the previous one nine times: 9**9 strings once expanded, 348 bytes.
    return HEAD + "".join(
        f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}" if level else '"lol"'] * 9) + "]\n"
        for level in range(levels)
    )


HOSTILE_MANIFESTS: dict[str, tuple[str, str]] = {
    "billion-laughs": (_laughs(), "aliases expand this manifest past"),
    "deep-flow-nesting": (HEAD + "tags: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more"),
    "deep-block-nesting": (
        HEAD + "tags:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 200)),
        "nested more",
    ),
    "nul": (HEAD + 'tags: {a: "\x00"}\n', "non-printable character U+0000"),
    "huge": (HEAD + "# " + "x" * (1024 * 1024) + "\n", "larger than 1024 KiB"),
}
"""name: (text, words its one error line contains)."""
