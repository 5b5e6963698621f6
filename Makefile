# dragoman — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: install demo test lint bench system-deps constraints model happenings clusters

SHARED ?= ../shared
MODEL_VERSION ?= 13

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[dev,ray]'
	touch $@

install: $(VENV)/.installed

## Set up and run the main job on the bundled sample articles.
demo: install
	$(BIN)/dragoman demo --store demo-store

## System packages the browser tests need (Debian's Chromium), installed when missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## Set up and run the whole test suite.
test: install system-deps
	$(BIN)/python -m pytest -q

## Train the event model the package ships, from ../shared/eval and the project's own gold
## (the tune half of the real-article gold; the test half stays for honest figures).
model: install
	$(BIN)/dragoman train events --out src/dragoman/data/models/events --version $(MODEL_VERSION) \
	  --gold $(SHARED)/eval/events/plv-train.jsonl --gold $(SHARED)/eval/events/plover-gsr-dev.jsonl \
	  --gold tests/golden/events/gold.jsonl --gold gold/articles-fakes.jsonl \
	  --gold gold/articles-ipe.jsonl --corpus $(SHARED)/corpus --split tune

## Refit only the shipped model's happening model (its type and role classifiers kept):
## how model 8.1 was made from model 8 (session 11).
happenings: install
	$(BIN)/dragoman train events --classifiers-from src/dragoman/data/models/events \
	  --out src/dragoman/data/models/events --version $(MODEL_VERSION).1 \
	  --gold gold/articles-fakes.jsonl --gold gold/articles-ipe.jsonl \
	  --corpus $(SHARED)/corpus --split tune

## Rebuild the word classes of the type features (data/lexicon/word_clusters.tsv) from
## the GloVe vectors of the 'clusters' extra; retrain the model after (make model).
clusters: install
	$(PIP) install --quiet -c constraints.txt -e '.[clusters]'
	$(BIN)/python -m dragoman.train.clusters

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/dragoman

## Regenerate the pinned constraints from the current environment.
constraints:
	$(PIP) freeze --exclude-editable | grep -v '^dragoman' > constraints.txt
