"""shipway synth against the CDK's own floor, in one run.

Each round runs, each in a fresh Python process (a user's synth always starts cold):
- shipway: 5 services x 2 environments in one CDK app, cdk-nag included;
- the floor: a minimal CDK Python app (one S3 bucket) on the same Node and compile cache, with
  the CDK's built-in CloudFormation validation off as shipway has it (cfn-lint runs in `shipway
  check` instead): the like-for-like floor the ratio is taken against;
- the same minimal app as `cdk init` makes it (built-in validation on), for reference.
Each process times itself from before its first CDK import to the end of synth (the interpreter's
own start is the same for both and not counted). Goals: shipway <= 5 s, shipway / floor <= 1.5.

    uv run --frozen python benchmarks/synth.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL_SECONDS = 5.0
GOAL_RATIO = 1.5

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

SHIPWAY = """\
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from shipway.manifest import load_manifest
from shipway.synthesis import synthesize
imported = time.perf_counter()
directory = Path(sys.argv[1])
manifest = load_manifest(directory / "shipway.yml")
result = synthesize(manifest, ["test", "prod"], outdir=directory / "cdk.out")
finished = time.perf_counter()
print(json.dumps({"total": finished - started, "import": imported - started,
                  "resources": sum(stack.resource_count for stack in result.stacks),
                  "nag": len(result.nag)}))
"""

FLOOR = """\
import json, sys, time
started = time.perf_counter()
import shipway  # points jsii at the pinned Node with its compile cache, as shipway runs
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
imported = time.perf_counter()
validation = sys.argv[2] == "on"
app = cdk.App(outdir=sys.argv[1] + "/floor.out", builtin_cloud_formation_validation=validation)
s3.Bucket(cdk.Stack(app, "Floor"), "Bucket")
app.synth()
finished = time.perf_counter()
print(json.dumps({"total": finished - started, "import": imported - started}))
"""


def _run(script: str, directory: Path, *arguments: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(directory), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{done.stderr[-2000:]}")
    if done.stderr.strip():
        print(f"  (stderr: {done.stderr.strip()[:300]})")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _spread(values: list[float]) -> str:
    return f"{min(values):.1f}–{max(values):.1f} s (median {statistics.median(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "shipway.yml").write_text(MANIFEST, encoding="utf-8")
        (directory / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
        # One unmeasured run of each fills Node's compile cache, as any earlier synth would have.
        _run(SHIPWAY, directory)
        _run(FLOOR, directory, "off")
        shipway, floor, default_floor = [], [], []
        for _ in range(rounds):
            shipway.append(_run(SHIPWAY, directory))
            floor.append(_run(FLOOR, directory, "off"))
            default_floor.append(_run(FLOOR, directory, "on"))
    totals = [run["total"] for run in shipway]
    floors = [run["total"] for run in floor]
    defaults = [run["total"] for run in default_floor]
    ratios = [mine / base for mine, base in zip(totals, floors, strict=True)]
    median, ratio = statistics.median(totals), statistics.median(ratios)
    print(
        f"shipway synth 5 services x 2 environments: {_spread(totals)}, of which importing "
        f"{_spread([run['import'] for run in shipway])}; {int(shipway[0]['resources'])} "
        f"resources, {int(shipway[0]['nag'])} cdk-nag findings; goal <= {GOAL_SECONDS:.0f} s: "
        f"{'met' if median <= GOAL_SECONDS else 'NOT met'}"
    )
    print(f"minimal CDK app (one bucket), validation off, the floor: {_spread(floors)}")
    print(f"minimal CDK app (one bucket) as `cdk init` makes it: {_spread(defaults)}")
    print(
        f"ratio shipway / floor: {min(ratios):.2f}–{max(ratios):.2f} (median {ratio:.2f}); "
        f"goal <= {GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
