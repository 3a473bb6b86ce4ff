"""The shipway command line: thin commands that parse flags, call the units, print with Rich."""

import importlib

from shipway.cli.app import app, main

# Each module registers its commands; `shipway --help` lists them in this order.
for _module in (
    "manifest_commands",
    "synth_commands",
    "cloud_commands",
    "dev_commands",
    "ops_commands",
    "exec_commands",
    "runbook_commands",
    "pipeline_commands",
):
    importlib.import_module(f"shipway.cli.{_module}")

__all__ = ["app", "main"]
