"""The acceptance manifests' fixtures (core_synth, compute_synth, core_test, ...) live in
tests/conftest.py, shared with the capability folders; tests/data/acceptance.py synthesizes."""
