"""Seconds to synthesize an app with 5 services x 2 environments in one CDK app (goal <= 10 s)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

MANIFEST = """\
name: bench
environments:
  test: {account: "123456789012", region: us-east-1, nat_gateways: 1}
  prod: {account: "123456789012", region: us-east-1, nat_gateways: 2,
         domain: {zone: example.com, zone_id: Z0123456789ABCDEFGHIJ}}
services:
  web: {image: {build: {context: .}}, autoscaling: {min: 2, max: 6}, uses: [api]}
  admin: {image: {build: {context: .}}, routing: {path: /admin}}
  shop: {image: {build: {context: .}}, routing: {path: /shop}, deployment: blue_green}
  api: {type: backend, port: 8000, image: {build: {context: .}}}
  worker: {type: backend, port: 8001, image: {build: {context: .}}, compute: fargate_spot}
"""


def main() -> None:
    started = time.perf_counter()
    from shipway.manifest import load_manifest
    from shipway.synthesis import synthesize

    imported = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "shipway.yml"
        path.write_text(MANIFEST, encoding="utf-8")
        manifest = load_manifest(path)
        result = synthesize(manifest, ["test", "prod"], outdir=Path(directory) / "cdk.out")
    finished = time.perf_counter()
    resources = sum(stack.resource_count for stack in result.stacks)
    total = finished - started
    print(
        f"synth 5 services x 2 environments: {total:.1f} s total "
        f"({imported - started:.1f} s importing the CDK, {finished - imported:.1f} s synth), "
        f"{resources} resources, {len(result.nag)} cdk-nag findings; goal <= 10 s: "
        f"{'met' if total <= 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
