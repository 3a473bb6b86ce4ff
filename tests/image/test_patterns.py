"""One `.dockerignore` pattern against one path, as Docker's patternmatcher decides it.

Rows are Docker's documented behaviour and moby/patternmatcher's own cases, including the quirks
a gitignore-minded implementation gets wrong (patterns are anchored at the context root, `*` never
crosses '/', `**` at the start is a suffix match)."""

from __future__ import annotations

import pytest

from shipway.image.dockerignore import IgnoreRules, read_patterns
from shipway.image.patterns import BadPatternError, Pattern

MATCHES = [
    # (pattern, path, excluded) — a pattern also excludes what lies below a directory it matches
    ("**", "file", True),
    ("**", "dir/file", True),
    ("**/", "file", True),
    ("**/**", "dir/file", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/dir2/file", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "axb", False),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    # Docker's documentation: patterns are relative to the context root, not gitignore-style
    ("*/temp*", "somedir/temporary.txt", True),
    ("*/temp*", "somedir/temp", True),
    ("*/temp*", "temp", False),
    ("*/temp*", "a/b/temporary.txt", False),
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("temp?", "tempa", True),
    ("temp?", "temp", False),
    ("temp?", "dir/tempa", False),
    ("*.md", "docs/guide.md", False),
    ("**/*.go", "a/b/c.go", True),
    ("tests/", "tests/test_app.py", True),
    ("/tests", "tests/test_app.py", True),
    ("./tests", "tests/test_app.py", True),
    ("docs/../tests", "tests/x", True),
]


@pytest.mark.parametrize(("pattern", "path", "excluded"), MATCHES)
def test_one_pattern(pattern: str, path: str, excluded: bool) -> None:
    # GIVEN a .dockerignore of that one line
    assert IgnoreRules(read_patterns(pattern)).excluded(path) is excluded


RULES = [
    # Docker's documentation: the last matching line decides
    (["*.md", "!README.md"], "README.md", False),
    (["*.md", "!README.md"], "CHANGES.md", True),
    (["*.md", "!README*.md", "README-secret.md"], "README-secret.md", True),
    (["*.md", "!README*.md", "README-secret.md"], "README-1.md", False),
    (["*.md", "README-secret.md", "!README*.md"], "README-secret.md", False),
    # moby/patternmatcher: exceptions inside excluded folders
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3-py3-none-any.whl", False),
    (["!fileutils.go", "*.go"], "fileutils.go", True),
    (["*.go", "!fileutils.go"], "fileutils.go", False),
]


@pytest.mark.parametrize(("patterns", "path", "excluded"), RULES)
def test_rules_in_order(patterns: list[str], path: str, excluded: bool) -> None:
    assert IgnoreRules(read_patterns("\n".join(patterns))).excluded(path) is excluded


@pytest.mark.parametrize("pattern", ["[", "a[", "[]a]", "[a-]", "[-a]", "[^]", "a\\", "[a"])
def test_malformed_patterns_are_refused_like_go_does(pattern: str) -> None:
    with pytest.raises(BadPatternError):
        Pattern(pattern)


def test_a_lone_exclamation_mark_is_refused() -> None:
    with pytest.raises(BadPatternError, match="illegal exclusion"):
        IgnoreRules(["!"])


@pytest.mark.parametrize("pattern", ["[*]", "[\\]]", "a[!b]c", "[a-z0-9]"])
def test_well_formed_classes_are_accepted(pattern: str) -> None:
    Pattern(pattern)
