# Two commands for a newcomer: `make dev` and `make test`. Everything installs itself.
SHELL := /bin/bash
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
UV ?= uv
RUN := $(UV) run --frozen
EXAMPLE ?= examples/three-tier/shipway.yml

.PHONY: setup dev test lint bench clean

setup: .venv/.synced tools/checkov/.venv/.synced tools/cdk-cli/node_modules/.installed

.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

tools/checkov/.venv/.synced: tools/checkov/pyproject.toml tools/checkov/uv.lock
	cd tools/checkov && $(UV) sync --frozen
	touch $@

tools/cdk-cli/node_modules/.installed: tools/cdk-cli/package.json tools/cdk-cli/package-lock.json
	cd tools/cdk-cli && npm ci --no-audit --no-fund --loglevel=error
	touch $@

dev: setup
	$(RUN) shipway dev -f $(EXAMPLE)

test: setup
	$(RUN) pytest -p no:cacheprovider

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check src
	$(RUN) mypy
	$(RUN) hadolint examples/*/Dockerfile

bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(RUN) python $$script || exit 1; done

clean:
	rm -rf cdk.out .shipway .pytest_cache
