# micronn top-level Makefile. Everything builds under build/ (never committed).
# Quick start:  make run   |   make test
SHELL := /bin/bash
ROOT := $(abspath .)
BUILD := $(ROOT)/build
DEPS := $(BUILD)/deps
MPY_DIR := $(DEPS)/micropython
VENV := $(BUILD)/venv
PY := $(VENV)/bin/python
BOARD ?= unix
JOBS ?= $(shell nproc)

UNIX_BOARDS := unix
QEMU_BOARDS := MPS2_AN385 MPS2_AN386 MPS2_AN500 MPS3_AN547
BOARDS := $(UNIX_BOARDS) $(QEMU_BOARDS)

# The frozen manifest makes MicroPython look for micropython-lib's README; we use none of it.
MPY_LIB_STUB := $(DEPS)/mpy-lib-stub
MPY_COMMON := USER_C_MODULES=$(ROOT)/firmware MPY_LIB_DIR=$(MPY_LIB_STUB) -j$(JOBS)

FIRMWARE_unix := $(BUILD)/fw/unix/micropython
FIRMWARE_QEMU = $(BUILD)/fw/$(1)/firmware.elf

PHONY_EXTRA := models update-exp bench run-speech
.PHONY: $(PHONY_EXTRA) fuzz fw-unix-asan all deps deps-apt deps-venv deps-mpy firmware firmwares run test test-host test-device size lint clean distclean help

all: firmware

help:
	@echo "make run                 build the unix firmware and run the demo"
	@echo "make run-speech          keyword spotting on sample wavs (BOARD=unix or a QEMU board)"
	@echo "make test                host pytest + device tests (unix + QEMU boards)"
	@echo "make firmware BOARD=B    B in: $(BOARDS)"
	@echo "make size                text/data/bss per board and the bytes micronn adds"
	@echo "make size-tier1          the same for M4 with only Tier-1 ops (micronn_config.h areas off)"
	@echo "make fuzz                50,000 mutated models on the ASan/UBSan unix firmware"

# ---------------------------------------------------------------------------- dependencies
deps: deps-apt deps-venv deps-mpy

deps-apt:
	@bash host_tools/scripts/deps.sh apt

deps-venv: $(VENV)/.micronn-deps

$(VENV)/.micronn-deps: pyproject.toml
	@bash host_tools/scripts/deps.sh venv

deps-mpy: $(MPY_DIR)/.micronn-version

$(MPY_DIR)/.micronn-version:
	@bash host_tools/scripts/deps.sh mpy

MPY_CROSS := $(MPY_DIR)/mpy-cross/build/mpy-cross
$(MPY_CROSS): | $(MPY_DIR)/.micronn-version
	$(MAKE) -C $(MPY_DIR)/mpy-cross -j$(JOBS) >/dev/null

# ---------------------------------------------------------------------------- firmware
# Sources that any firmware depends on (C module and frozen package).
FW_SRC := $(shell find firmware boards -type f \( -name '*.c' -o -name '*.h' -o -name '*.py' -o -name '*.mk' -o -name '*.ld' -o -name '*.s' -o -name '*.S' \) 2>/dev/null)

firmware: deps-mpy
	@$(MAKE) --no-print-directory fw-$(BOARD)

firmwares: $(addprefix fw-,$(BOARDS))

# The unix firmware is the host-latency benchmark against TFLM's Python interpreter: built for
# speed (the port's default is -Os); the interpreter's per-run overhead is part of the latency.
UNIX_COPT := -O2 -DNDEBUG -fdata-sections -ffunction-sections

fw-unix: $(FIRMWARE_unix)
$(FIRMWARE_unix): $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: unix"
	@mkdir -p $(BUILD)/fw
	@rm -f $(BUILD)/fw/unix/frozen_content.c
	@$(MAKE) -C $(MPY_DIR)/ports/unix VARIANT=standard BUILD=$(BUILD)/fw/unix PROG=micropython \
		FROZEN_MANIFEST=$(ROOT)/boards/unix/manifest.py MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 \
		MICROPY_SSL_MBEDTLS=0 MICROPY_PY_FFI=0 COPT="$(UNIX_COPT)" $(MPY_COMMON) > $(BUILD)/fw/unix.log 2>&1 \
		|| { tail -40 $(BUILD)/fw/unix.log; exit 1; }
	@ls -l $@ | awk '{print "  " $$5 " bytes  " $$9}'

# Sanitizer build of the unix firmware (ASan + UBSan) for the fuzzer (make fuzz). The GC scans
# the C stack conservatively: run it with ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0
# (host_tools/check/fuzz.py sets them).
FIRMWARE_unix_asan := $(BUILD)/fw/unix-asan/micropython
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fw-unix-asan: $(FIRMWARE_unix_asan)
$(FIRMWARE_unix_asan): $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: unix-asan"
	@mkdir -p $(BUILD)/fw
	@rm -f $(BUILD)/fw/unix-asan/frozen_content.c
	@$(MAKE) -C $(MPY_DIR)/ports/unix VARIANT=standard BUILD=$(BUILD)/fw/unix-asan PROG=micropython \
		FROZEN_MANIFEST=$(ROOT)/boards/unix/manifest.py MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 \
		MICROPY_SSL_MBEDTLS=0 MICROPY_PY_FFI=0 COPT="-O1 -g" STRIP= \
		CFLAGS_EXTRA="$(SANITIZE_FLAGS) -DMICROPY_NLR_SETJMP=1 -Wno-clobbered" LDFLAGS_EXTRA="$(SANITIZE_FLAGS)" $(MPY_COMMON) \
		> $(BUILD)/fw/unix-asan.log 2>&1 || { tail -40 $(BUILD)/fw/unix-asan.log; exit 1; }
	@ls -l $@ | awk '{print "  " $$5 " bytes  " $$9}'

-include boards/qemu.mk
-include boards/esp32.mk
-include boards/rp2.mk

# ---------------------------------------------------------------------------- run / test
run: deps models
	@$(MAKE) --no-print-directory fw-unix
	$(PY) -m host_tools.demo $(FIRMWARE_unix)

# Keyword spotting: audio front end + micro_speech on the four sample wavs (BOARD=MPS2_AN386 for QEMU).
run-speech: deps models
	@$(MAKE) --no-print-directory fw-$(BOARD)
	$(PY) -m host_tools.demo_speech $(if $(filter unix,$(BOARD)),$(FIRMWARE_unix),--board $(BOARD))

test: deps models
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory firmwares fw-unix-asan fw-MPS2_AN386-tier1
	$(PY) -m pytest -n 2 tests/host

# Mutated model files through load()+run() on the sanitizer firmware, and mutated .tflite
# files through the converter; prints cases, rejections by exception kind, crashes (must be 0).
FUZZ_CASES ?= 50000
fuzz: deps models
	@$(MAKE) --no-print-directory fw-unix-asan
	$(PY) -m host_tools.check.fuzz --cases $(FUZZ_CASES) --converter-cases 5000

models: deps-venv
	@$(PY) -m host_tools.device.models

update-exp: deps-venv
	$(PY) tests/host/test_device.py

test-host: deps-venv
	$(PY) -m pytest tests/host

# Benchmarks (instructions under QEMU -icount, host latency vs TFLM, arena, layer table vs
# CMSIS-NN); before/after numbers are kept in models/bench/results.json.
bench: deps models
	@$(MAKE) --no-print-directory fw-unix $(addprefix fw-,$(QEMU_BOARDS))
	$(PY) -m host_tools.bench

size: deps
	@$(MAKE) --no-print-directory firmwares
	@$(PY) -m host_tools size $(addprefix --board ,$(BOARDS))

lint: deps-venv
	$(VENV)/bin/ruff check host_tools tests firmware/micronn

clean:
	rm -rf $(BUILD)/fw

distclean:
	rm -rf $(BUILD)
