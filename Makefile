# Two commands on a fresh machine with only Python: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall whenever the pins change.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint bench bench-tools install browser axe clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	$(BIN)/outlay up

# What Debian must provide for the tests: Chromium (browser tests), nginx (the shipped nginx
# config is checked and run on loopback), openssl (its test certificate), Tesseract and
# poppler's pdftoppm (receipt reading; the worker needs them too) and the DejaVu and Liberation
# fonts the test receipts are drawn with. Installed once.
browser:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	  command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	  test -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf || missing="$$missing fonts-liberation"; \
	  test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	  command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing from Debian for the tests:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  fi

# The accessibility walk injects axe-core (from npm, pinned) into each page; it lives in .node/,
# never committed. Needs node/npm: installed from Debian if this machine lacks them.
AXE_VERSION := 4.10.3
axe:
	@grep -qs '"version": "$(AXE_VERSION)"' .node/node_modules/axe-core/package.json || { \
	  command -v npm >/dev/null 2>&1 || { \
	    SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }; \
	  npm install --prefix .node --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION); }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs on TEST_WORKERS pytest-xdist workers (docs/testing.md: each has its own
# database and Redis; --dist loadgroup in pyproject keeps each xdist_group on one worker). Most
# tests wait on subprocesses, browsers and the database, so more workers than this 2-core
# machine's cores pay: measured in docs/testing.md.
TEST_WORKERS ?= 4

test: install browser axe lint
	$(BIN)/pytest -n $(TEST_WORKERS)

# The benchmarks' load client: wrk from Debian (a C client that is not the bottleneck); the
# receipt-reading benchmark needs what `browser` installs (Tesseract, the fonts).
bench-tools: browser
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing from Debian for the benchmarks: wrk"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

bench: install bench-tools
	$(BIN)/pytest tests/perf -p no:cacheprovider -s -q

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .node
