"""`python -m shipway.cli`: the same as the `shipway` command."""

from shipway.cli.app import main

main()
