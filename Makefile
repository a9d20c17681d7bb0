# Every target sets up what it needs on a fresh Debian machine: apt packages (when run as
# root), a virtualenv in .venv, and the pinned packages of requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# espeak-ng, portaudio, sox and tmux serve the voice simulator and the TUI checks
APT_PACKAGES := python3-venv espeak-ng libespeak-ng1 libportaudio2 sox tmux

.PHONY: run test setup system bytecode bench fuzz lock clean

## run: set up, then run the bundled example suite (scenarios/)
run: $(STAMP) bytecode
	$(BIN)/callsim run scenarios/

## test: set up, then validate the examples, run the unit tests and scenarios (pytest, comparing
## golden recordings), the CLI over the same suite, and a replay of every recording
test: $(STAMP) bytecode
	$(BIN)/callsim validate scenarios/
	$(BIN)/pytest -q -p no:cacheprovider --junitxml=$(VENV)/junit-pytest.xml
	$(BIN)/callsim run scenarios/ --junit $(VENV)/junit-scenarios.xml
	$(BIN)/callsim replay

## bench: measure the engine (scenarios per second, per-turn overhead)
bench: $(STAMP) bytecode
	$(BIN)/callsim bench

## fuzz: a long campaign of hostile and broken files (FUZZ_EXAMPLES cases from FUZZ_SEED) for before a
## release; every failing case is listed (re-run one: CALLSIM_FUZZ_SEED=... pytest ... -k case-17), and
## the figures (cases, slowest, most memory one command added) are printed
FUZZ_EXAMPLES ?= 3000
FUZZ_SEED ?= $(shell date +%s)
fuzz: $(STAMP)
	@echo "fuzz: $(FUZZ_EXAMPLES) cases from seed $(FUZZ_SEED) (repeat with FUZZ_SEED=$(FUZZ_SEED))"
	CALLSIM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CALLSIM_FUZZ_SEED=$(FUZZ_SEED) CALLSIM_FUZZ_COLLECT=1 \
	  CALLSIM_FUZZ_REPORT=$(VENV)/fuzz-report.json \
	  $(BIN)/pytest -p no:cacheprovider -q -s tests/hostile/test_fuzz_files.py

setup: $(STAMP) bytecode

## bytecode: compile callsim's own modules, as installing a package does; the editable install leaves
## them to the first run, which cannot keep them when PYTHONDONTWRITEBYTECODE is set (then every start
## compiles them all again, half as long again as the run itself); up-to-date files are skipped. Then
## write what the `callsim` command's start compiles in pure Python (regular expressions, dataclass
## methods; callsim.startup_cache), which a run does not keep either when PYTHONDONTWRITEBYTECODE is set
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/callsim
	@$(BIN)/python -m callsim.startup_cache

system:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing apt packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else \
	  echo "not root: skipping apt packages ($(APT_PACKAGES)); install them yourself for voice features"; \
	fi

$(STAMP): pyproject.toml requirements.lock
	@$(MAKE) --no-print-directory system
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "callsim needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

## lock: re-pin requirements.lock from the current venv (after changing pyproject.toml)
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^callsim' > requirements.lock

clean:
	rm -rf $(VENV) build src/*.egg-info
