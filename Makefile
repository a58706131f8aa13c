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

PHONY_EXTRA := models update-exp
.PHONY: $(PHONY_EXTRA) all deps deps-apt deps-venv deps-mpy firmware firmwares run test test-host test-device size lint clean distclean help

all: firmware

help:
	@echo "make run                 build the unix firmware and run the demo"
	@echo "make test                host pytest + device tests (unix + QEMU boards)"
	@echo "make firmware BOARD=B    B in: $(BOARDS)"
	@echo "make size                text/data/bss per board and the bytes micronn adds"

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

fw-unix: $(FIRMWARE_unix)
$(FIRMWARE_unix): $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: unix"
	@mkdir -p $(BUILD)/fw
	@rm -f $(BUILD)/fw/unix/frozen_content.c
	@$(MAKE) -C $(MPY_DIR)/ports/unix VARIANT=standard BUILD=$(BUILD)/fw/unix PROG=micropython \
		FROZEN_MANIFEST=$(ROOT)/boards/unix/manifest.py MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 \
		MICROPY_SSL_MBEDTLS=0 MICROPY_PY_FFI=0 $(MPY_COMMON) > $(BUILD)/fw/unix.log 2>&1 \
		|| { tail -40 $(BUILD)/fw/unix.log; exit 1; }
	@ls -l $@ | awk '{print "  " $$5 " bytes  " $$9}'

-include boards/qemu.mk
-include boards/esp32.mk
-include boards/rp2.mk

# ---------------------------------------------------------------------------- run / test
run: deps models
	@$(MAKE) --no-print-directory fw-unix
	$(PY) -m host_tools.demo $(FIRMWARE_unix)

test: deps models
	@$(MAKE) --no-print-directory firmwares
	$(PY) -m pytest -n 2 tests/host

models: deps-venv
	@$(PY) -m host_tools.models

update-exp: deps-venv
	$(PY) tests/host/test_device.py

test-host: deps-venv
	$(PY) -m pytest tests/host

size: deps
	@$(MAKE) --no-print-directory firmwares
	@$(PY) -m host_tools size $(addprefix --board ,$(BOARDS))

lint: deps-venv
	$(VENV)/bin/ruff check host_tools tests firmware/micronn

clean:
	rm -rf $(BUILD)/fw

distclean:
	rm -rf $(BUILD)
