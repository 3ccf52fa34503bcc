# Two entry points on a fresh machine: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pywb, the reference replay tool the WARC tests replay through, pins redis 2.10, which
# scrapy-redis cannot use: it gets a venv of its own, and the tests run its commands.
PYWB_VENV ?= .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed-stamp
DATA ?= pressdiff-data

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pressdiff demo --data $(DATA)

$(PYWB_STAMP):
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'pywb>=2.8,<3'
	touch $(PYWB_STAMP)

test: $(STAMP) $(PYWB_STAMP)
	PYWB_BIN=$(abspath $(PYWB_VENV))/bin $(BIN)/python -m pytest -n 2 --dist worksteal --durations=20

clean:
	rm -rf $(VENV) $(PYWB_VENV) $(DATA) .pytest_cache *.egg-info
