# kcap: the two commands a newcomer needs are `make demo` and `make test`.
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc)
SHARED ?= $(CURDIR)/../shared
PREFIX ?= /usr/local
# Seconds each fuzzer runs: in `make fuzz`, and in `make test`.
FUZZ_SECONDS ?= 600
FUZZ_QUICK_SECONDS ?= 30
KERNELS ?= 5.10 6.1 6.12
DRIVERS ?= bpf kmod

.PHONY: all deps demo test fuzz fuzz-build fuzz-quick bench matrix install clean

all:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# kcap, kcap(1), libkcap with its headers and kcap.pc, and the module's
# source for DKMS (PREFIX/src/kcap-VERSION), under DESTDIR when it is set.
install: all
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) >/dev/null

deps:
	scripts/install-deps.sh

demo: deps all
	scripts/demo.sh $(BUILD) $(SHARED)

# The guests first, this machine's kernel last: Criterion's summary ends the
# run. One test at a time: driver tests check that no probe stays loaded.
test: deps all fuzz-quick
	@status=0; $(MAKE) --no-print-directory matrix || status=1; \
	$(BUILD)/kcap_tests --jobs 1 || status=1; exit $$status

# The fuzzers, with the library under them built with coverage and the
# sanitizers: `make fuzz` runs each for FUZZ_SECONDS, `make test` briefly.
fuzz-build:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DKCAP_FUZZ=ON -DKCAP_TESTS=OFF >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_reader fuzz_blocks fuzz_filter

fuzz: deps fuzz-build
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_reader $(SHARED) $(FUZZ_SECONDS) samples
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_blocks $(SHARED) $(FUZZ_SECONDS)
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_filter $(SHARED) $(FUZZ_SECONDS) filters

fuzz-quick: fuzz-build
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_reader $(SHARED) $(FUZZ_QUICK_SECONDS) samples
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_blocks $(SHARED) $(FUZZ_QUICK_SECONDS)
	scripts/run-fuzz.sh $(FUZZ_BUILD)/fuzz_filter $(SHARED) $(FUZZ_QUICK_SECONDS) filters

bench: all
	$(BUILD)/bench/bench_reader
	bench/bench_capture.sh $(BUILD)/kcap
	bench/bench_stages.sh $(BUILD)/kcap
	bench/bench_sustained.sh $(BUILD)/kcap
	bench/bench_hooks.sh $(BUILD)/kcap $(BUILD)/bench/bench_workloads

# The driver tests in qemu guests on Debian kernels (scripts/qemu/), one
# summary line per kernel and driver; fails when any of them failed.
matrix: deps all
	@mkdir -p $(BUILD)/qemu; summary=$(BUILD)/qemu/matrix.txt; : >$$summary; status=0; \
	for k in $(KERNELS); do for d in $(DRIVERS); do \
		BUILD=$(BUILD) KCAP_MATRIX_SUMMARY=$$summary scripts/qemu/driver-tests.sh $$k $$d || \
			status=1; \
	done; done; echo "== matrix"; cat $$summary; exit $$status

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
