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

# The board table (boards/boards.mk): per-board facts as <board>.<field>, and the board lists.
include boards/boards.mk
boards_of_port = $(strip $(foreach b,$(MN_BOARDS),$(if $(filter $(1),$($(b).port)),$(b))))
UNIX_BOARDS := $(call boards_of_port,unix)
QEMU_BOARDS := $(call boards_of_port,qemu)
RP2_BOARDS := $(call boards_of_port,rp2)
# The firmwares `make firmwares` builds (and `make size` measures).
BOARDS := $(MN_CI_BOARDS)

# The frozen manifest makes MicroPython look for micropython-lib's README; we use none of it.
MPY_LIB_STUB := $(DEPS)/mpy-lib-stub
MPY_COMMON := USER_C_MODULES=$(ROOT)/firmware MPY_LIB_DIR=$(MPY_LIB_STUB) -j$(JOBS)

FIRMWARE_unix := $(BUILD)/fw/unix/micropython
FIRMWARE_QEMU = $(BUILD)/fw/$(1)/firmware.elf

PHONY_EXTRA := models update-exp bench run-speech run-lstm ops test-board
.PHONY: $(PHONY_EXTRA) fuzz fw-unix fw-unix-asan all deps deps-apt deps-venv deps-mpy deps-emu firmware firmwares run \
	test test-host test-quick test-device size lint clean distclean help

all: firmware

# One line per target of this Makefile and the boards/*.mk it includes (a test checks that every
# rule is listed: tests/host/test_portability.py).
help:
	@echo "make run                 build the unix firmware and run the demo (person detection)"
	@echo "make run-speech          keyword spotting on sample wavs (BOARD=unix or a QEMU board)"
	@echo "make run-lstm            handwritten digits through an LSTM (mnist_lstm) on the unix firmware"
	@echo "make test                lint, every firmware, then all of tests/host (host + device tests)"
	@echo "make test-quick          host-only tests (pytest -m 'not device'): no firmware, < 2 min"
	@echo "make test-device         the firmwares, then the device tests (pytest -m device): every board"
	@echo "make test-host           all of tests/host, one process, with whatever firmware is built"
	@echo "make lint                ruff on host_tools, tests, firmware/micronn"
	@echo "make ops                 regenerate the files generated from the op spec (host_tools/ops/table.py)"
	@echo "make update-exp          regenerate tests/device/*.exp (numpy reference, checked on the unix firmware)"
	@echo "make models              fetch and sha256-check the model registry into build/models"
	@echo "make bench               instructions per inference on QEMU, latency vs TFLM, arena, layer table"
	@echo "make size                text/data/bss per board and the bytes micronn adds"
	@echo "make size-tier1          the same for M4 with only Tier-1 ops (micronn_config.h areas off)"
	@echo "make test-board BOARD=B PORT=P  device tests + Tier-1 models on a board at serial port P (mpremote)"
	@echo "make fuzz                $(FUZZ_CASES) mutated models on the ASan/UBSan unix firmware + converter"
	@echo "make firmware BOARD=B    one firmware; B in: $(BOARDS)"
	@echo "make firmwares           every firmware make test uses: $(BOARDS)"
	@echo "make fw-B                firmware of board B (fw-unix, $(addprefix fw-,$(QEMU_BOARDS) $(RP2_BOARDS)))"
	@echo "make fw-unix-asan        unix firmware with ASan + UBSan (for make fuzz)"
	@echo "make fw-unix-nosimd      unix firmware with -DMN_HOST_SIMD=0: the portable C kernels (in make test)"
	@echo "make fw-MPS2_AN386-tier1 Cortex-M4 firmware with the Tier-1 ops only (alias fw-MPS2_AN386_tier1)"
	@echo "make fw-ESP32_S3_MICRONN ESP32-S3 firmware (needs ESP-IDF v5.2.2-v5.4 sourced in the shell)"
	@echo "make deps                deps-apt, deps-venv, deps-mpy, deps-emu (each installs only what is missing)"
	@echo "make deps-apt            Debian packages: ARM/Xtensa compilers, qemu-system-arm (node/npm if missing)"
	@echo "make deps-venv           the virtualenv build/venv (numpy, tflite-micro, pytest, ruff, ...)"
	@echo "make deps-mpy            MicroPython v1.25.0 source in build/deps/micropython"
	@echo "make deps-emu            the rp2040js emulator (RPI_PICO): npm ci in boards/RPI_PICO/emu"
	@echo "make deps-rp2            Pico SDK, TinyUSB, mbedtls (Debian source packages) for the RP2 boards"
	@echo "make all                 the firmware of BOARD (default unix)"
	@echo "make clean               remove build/fw"
	@echo "make distclean           remove build (dependencies and virtualenv included) and the emulator's node_modules"
	@echo "make help                this list"

# ---------------------------------------------------------------------------- dependencies
deps: deps-apt deps-venv deps-mpy deps-emu

deps-apt:
	@bash host_tools/scripts/deps.sh apt

deps-venv: $(VENV)/.micronn-deps

$(VENV)/.micronn-deps: pyproject.toml
	@bash host_tools/scripts/deps.sh venv

deps-mpy: $(MPY_DIR)/.micronn-version

# rp2040js, pinned by boards/RPI_PICO/emu/package-lock.json (host_tools/device/boards.py runs it).
EMU_DIR := $(ROOT)/boards/RPI_PICO/emu
deps-emu: $(EMU_DIR)/node_modules/.micronn-deps

$(EMU_DIR)/node_modules/.micronn-deps: $(EMU_DIR)/package.json $(EMU_DIR)/package-lock.json
	@bash host_tools/scripts/deps.sh emu

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

# The unix firmware without host SIMD (-DMN_HOST_SIMD=0, mn_arch.h): the kernels' portable
# optimized C loops, what RP2040 and ESP32 run, on every `make test` (device tests, board
# unix-nosimd).
FIRMWARE_unix_nosimd := $(BUILD)/fw/unix-nosimd/micropython
.PHONY: fw-unix-nosimd
fw-unix-nosimd: $(FIRMWARE_unix_nosimd)
$(FIRMWARE_unix_nosimd): $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: unix-nosimd"
	@mkdir -p $(BUILD)/fw
	@rm -f $(BUILD)/fw/unix-nosimd/frozen_content.c
	@$(MAKE) -C $(MPY_DIR)/ports/unix VARIANT=standard BUILD=$(BUILD)/fw/unix-nosimd PROG=micropython \
		FROZEN_MANIFEST=$(ROOT)/boards/unix/manifest.py MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 \
		MICROPY_SSL_MBEDTLS=0 MICROPY_PY_FFI=0 COPT="$(UNIX_COPT)" CFLAGS_EXTRA="-DMN_HOST_SIMD=0" \
		$(MPY_COMMON) > $(BUILD)/fw/unix-nosimd.log 2>&1 || { tail -40 $(BUILD)/fw/unix-nosimd.log; exit 1; }
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

# Handwritten digits: the ten mnist_lstm sample pngs through trained_lstm_int8 on the unix firmware.
run-lstm: deps models
	@$(MAKE) --no-print-directory fw-unix
	$(PY) -m host_tools.demo_lstm $(FIRMWARE_unix)

# pytest: markers are registered in tests/host/conftest.py (device, quick, tflm, slow).
PYTEST := $(PY) -m pytest --strict-markers
PYTEST_JOBS ?= 2

test: deps models
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory firmwares fw-unix-asan fw-MPS2_AN386-tier1
	$(PYTEST) -n $(PYTEST_JOBS) tests/host

# The edit-test loop: host-only tests (converter, numpy reference vs TFLM, file format, tools).
test-quick: deps-venv models
	$(PYTEST) -n $(PYTEST_JOBS) -m "not device" tests/host

# The device tests: tests/device/*.py on every board of MN_TEST_BOARDS (boards/boards.mk), the
# generated-model and real-model runs on the firmwares, the Tier-1 and sanitizer builds.
test-device: deps models
	@$(MAKE) --no-print-directory firmwares fw-unix-asan fw-MPS2_AN386-tier1
	$(PYTEST) -n $(PYTEST_JOBS) -m device tests/host

# Mutated model files through load()+run() on the sanitizer firmware, and mutated .tflite
# files through the converter; prints cases, rejections by exception kind, crashes (must be 0).
FUZZ_CASES ?= 50000
fuzz: deps models
	@$(MAKE) --no-print-directory fw-unix-asan
	$(PY) -m host_tools.check.fuzz --cases $(FUZZ_CASES) --converter-cases 5000

models: deps-venv
	@$(PY) -m host_tools.device.models

# The kit for a real board (flashed with the micronn firmware of BOARD, with a filesystem): the
# device tests and the nine Tier-1 models bit-exact through mpremote at PORT (docs/boards.md).
# Without PORT it prints why nothing ran and succeeds; no device at PORT fails (exit 2).
test-board: deps-venv
	@PYTHONPATH=$(ROOT):$(ROOT)/firmware $(PY) -m host_tools.device.testboard --board $(BOARD) $(if $(PORT),--port $(PORT))

update-exp: deps-venv
	@$(MAKE) --no-print-directory fw-unix
	PYTHONPATH=$(ROOT):$(ROOT)/firmware $(PY) tests/host/test_device.py

test-host: deps-venv
	$(PYTEST) tests/host

# Benchmarks (instructions under QEMU -icount, host latency vs TFLM, arena, layer table vs
# CMSIS-NN); before/after numbers are kept in models/bench/results.json.
bench: deps models
	@$(MAKE) --no-print-directory fw-unix $(addprefix fw-,$(QEMU_BOARDS)) fw-RPI_PICO
	$(PY) -m host_tools.bench

size: deps
	@$(MAKE) --no-print-directory firmwares
	@$(PY) -m host_tools size $(addprefix --board ,$(BOARDS))

# The files generated from the op spec (host_tools/ops/table.py): C params enums and range tables,
# the device package's op tables. tests/host/test_opspec.py fails when they are not current.
ops: deps-venv
	$(PY) -m host_tools.ops.gen

lint: deps-venv
	$(VENV)/bin/ruff check host_tools tests firmware/micronn

clean:
	rm -rf $(BUILD)/fw

distclean:
	rm -rf $(BUILD) $(EMU_DIR)/node_modules
