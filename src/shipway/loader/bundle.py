"""The loader's Lambda code, built at synth time without Docker.

The `shipway.loader` runtime modules, `shipway.contract`, and the pure-Python packages they
import, copied from this installation into a directory CDK zips as the function's asset. boto3
comes with the Lambda runtime; ijson falls back to its pure-Python backend without its C
extension.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import tempfile
from pathlib import Path

HANDLER = "shipway.loader.runtime.handler"
BUNDLED_PACKAGES = ("aws_lambda_powertools", "ijson", "tenacity")
BUNDLED_MODULES = ("typing_extensions",)
# Modules of this package that never run in Lambda (they import aws_cdk).
CLOUD_SIDE = frozenset({"infrastructure.py", "bundle.py"})


@functools.cache
def loader_bundle() -> Path:
    """The code directory, built once per process (every environment's stack shares it)."""
    root = Path(tempfile.mkdtemp(prefix="shipway-loader-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "shipway").mkdir()
    (root / "shipway" / "__init__.py").write_text('"""shipway: the loader only."""\n')
    copy_python(Path(__file__).parent, root / "shipway" / "loader", exclude=CLOUD_SIDE)
    # The contract (variable names, key types, formats) the loader shares with the cloud side.
    shutil.copyfile(Path(__file__).parents[1] / "contract.py", root / "shipway" / "contract.py")
    for name in BUNDLED_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        copy_python(Path(next(iter(spec.submodule_search_locations))), root / name)
    for name in BUNDLED_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, name
        shutil.copyfile(spec.origin, root / f"{name}.py")
    return root


def copy_python(source: Path, target: Path, exclude: frozenset[str] = frozenset()) -> None:
    """Copy the .py files under source (no caches, no compiled extensions) to target."""
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source)
        if "__pycache__" in relative.parts or str(relative) in exclude:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)
