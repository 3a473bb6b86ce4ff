"""How the `shipway` process ends: after a CDK command, at once once the exit handlers ran (no
module teardown); otherwise, or with a thread still working, the ordinary way. Through real
processes, since the point is what the process does as it ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

CORE = Path(__file__).resolve().parent / "data" / "core" / "shipway.yml"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_cdk_command_ends_after_its_exit_handlers_with_its_status() -> None:
    done = _python(
        """
        import atexit, sys
        sys.modules.setdefault("aws_cdk", sys)  # as after a synth
        atexit.register(lambda: print("exit handler ran", flush=True))
        from shipway.cli.exit import leave
        class Witness:  # reports when the interpreter tears its modules down
            def __del__(self):
                print("teardown", flush=True)
        witness = Witness()
        print("report", end="")  # buffered, unflushed
        leave(3)
        print("never")
        """
    )
    assert done.returncode == 3
    assert done.stdout == "reportexit handler ran\n"  # flushed, handlers run, no teardown


def test_a_thread_still_working_gets_the_ordinary_exit() -> None:
    done = _python(
        """
        import sys, threading, time
        sys.modules.setdefault("aws_cdk", sys)
        from shipway.cli.exit import leave
        class Witness:
            def __del__(self):
                print("teardown", flush=True)
        witness = Witness()
        def work():
            time.sleep(0.3)  # still working when the command is done
            print("thread finished", flush=True)
        threading.Thread(target=work).start()
        leave(0)
        """
    )
    assert done.returncode == 0
    assert done.stdout == "thread finished\nteardown\n"  # the ordinary exit waited for it


def test_a_message_exit_prints_it_and_fails() -> None:
    done = _python(
        """
        from shipway.cli.exit import status_of
        import sys
        sys.exit(status_of(SystemExit("why it stopped")))
        """
    )
    assert done.returncode == 1
    assert done.stderr == "why it stopped\n"


def test_synth_through_the_cli_prints_everything_and_leaves_no_temporary_files(
    tmp_path: Path,
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = subprocess.run(  # noqa: S603 - this interpreter, our arguments
        [sys.executable, "-m", "shipway.cli", "synth", "-f", str(CORE), "--env", "test"]
        + ["--out", str(tmp_path / "cdk.out"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)  # the whole JSON document reached stdout
    names = [stack["name"] for stack in summary["stacks"]]
    assert names == ["storefront-test-registry", "storefront-test"]
    # jsii's own exit handler stopped Node and removed the runtime it unpacked there
    assert list(temporary.iterdir()) == []
