# MediMart build. `make run` and `make test` are the two entry points.
CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wno-unused-parameter
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += $(CSTD) $(WARN) $(OPT) -pthread -Isrc -DMM_SHAREDIR='"$(PREFIX)/share/medimart"'
LDLIBS  := -lcsv -lcmark -lhpdf -lm -pthread
PREFIX  ?= /usr/local
DESTDIR ?=

BUILD   ?= build
SRC     := $(sort $(wildcard src/*/*.c src/*/*/*.c))
LIBSRC  := $(filter-out src/cli/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
BIN     := $(BUILD)/medimart
TESTSRC := $(sort $(wildcard tests/test_*.c))
TESTBIN := $(BUILD)/medimart-tests

DATA    ?= data
TARGET  ?= target
OUT     ?= site
DEFAULT_PATIENTS ?= 20000
# Reference files (seeds and rules) that ship with the tool.
SEEDS   := data/comorbidities.csv data/cancellation_reasons.csv data/treatment_functions.csv \
	   data/elective_procedures.csv data/community_careplans.csv data/procedure_groups.csv data/risk_rules.txt

.PHONY: all run test unit asan valgrind bench clean install deps test-deps data build-only docs fuzz
all: $(BIN)

# Quiet by default: one short line per compiled file; `make V=1` shows the
# full compiler lines.
V ?= 0
ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n'
endif

# Debian packages: what `make run` needs, and what `make test` needs on top.
deps:
	@sh scripts/deps.sh run
test-deps:
	@sh scripts/deps.sh test

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BIN): $(LIBOBJ) $(BUILD)/src/cli/main.o
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The data-model diagram for docs/, from the model registry alone.
DIAGRAM := $(BUILD)/medimart-diagram
$(DIAGRAM): $(LIBOBJ) $(BUILD)/tools/data_model.o
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

docs: $(DIAGRAM)
	$(DIAGRAM) docs/data_model.svg

$(TESTBIN): $(LIBOBJ) $(TESTSRC:%.c=$(BUILD)/%.o)
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

# The default data set is generated, not committed: it is deterministic.
$(DATA)/.generated: | $(BIN)
	$(BIN) synth --patients $(DEFAULT_PATIENTS) --seed 42 --out $(DATA)
	@touch $@

data: deps
	@$(MAKE) --no-print-directory $(BIN)
	@$(MAKE) --no-print-directory $(DATA)/.generated

run: data
	$(BIN) build --data $(DATA) --target $(TARGET) --out $(OUT)

unit: $(TESTBIN)
	$(TESTBIN) --jobs 2

# Installs (as root) or names every package the tests use, then runs the
# unit tests and the tests of the built binary (tests/run-extra.sh).
test: test-deps
	@$(MAKE) --no-print-directory data
	@$(MAKE) --no-print-directory unit
	@if [ -f tests/run-extra.sh ]; then sh tests/run-extra.sh $(BIN) $(DATA); fi

asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build-asan/medimart-tests build-asan/medimart
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tests/lsan.supp build-asan/medimart-tests --jobs 2
	build-asan/medimart synth -q --patients 1000 --seed 7 --out build-asan/data
	build-asan/medimart build -q --data build-asan/data --target build-asan/target --out build-asan/site >/dev/null
	build-asan/medimart docs -q --audience clinical --data build-asan/data --target build-asan/target --out build-asan/site-clinical

valgrind: $(TESTBIN) $(BIN)
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --trace-children=yes \
	  $(TESTBIN) --jobs 1 --no-early-exit

# National-scale benchmark (docs/performance.md): medimart run and build,
# DuckDB and the libcsv parse ceiling at 250k and 1M patients (and 4M with
# BENCH_LARGE=1, 4M and 8M with BENCH_LARGE=2; BENCH_SIZES="20000 50000"
# sets the sizes; DuckDB is left out above BENCH_DUCKDB_MAX patients), data
# sets kept in BENCH_DIR. Never part of `make test`.
BENCH_DIR   ?= build/bench
BENCH_SIZES ?=
BENCH_LARGE ?= 0
BENCH_DUCKDB_MAX ?=
BENCH_PARSE := $(BUILD)/bench-csvparse
$(BENCH_PARSE): tests/bench/csvparse.c
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $< -lcsv

bench: $(BIN) $(BENCH_PARSE)
	BENCH_DIR='$(BENCH_DIR)' BENCH_SIZES='$(BENCH_SIZES)' BENCH_LARGE='$(BENCH_LARGE)' BENCH_DUCKDB_MAX='$(BENCH_DUCKDB_MAX)' \
	  sh tests/bench.sh $(BIN) $(BENCH_PARSE)

# libFuzzer targets (tests/fuzz/, docs/fuzzing.md), built with clang into
# build-fuzz/: replays the regression cases, then runs each target for
# FUZZ_SECONDS; fails on a crash, leaving the artefact in build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := csv template spec rules
fuzz:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Wno-missing-field-initializers" \
	  $(FUZZ_TARGETS:%=build-fuzz/fuzz-%)
	sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PRECIOUS: $(BUILD)/tests/fuzz/%.o
$(BUILD)/fuzz-%: $(LIBOBJ) $(BUILD)/tests/fuzz/fuzz_%.o
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/medimart/data
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/medimart
	cp -R templates $(DESTDIR)$(PREFIX)/share/medimart/
	install -m 644 $(SEEDS) $(DESTDIR)$(PREFIX)/share/medimart/data/

clean:
	rm -rf build build-asan build-fuzz $(TARGET)
	find $(OUT) -mindepth 1 ! -name .gitignore -exec rm -rf {} + 2>/dev/null || true

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
