# QEMU Cortex-M firmwares (included from the top-level Makefile).
# make fw-MPS2_AN385 | fw-MPS2_AN386 | fw-MPS2_AN500 | fw-MPS3_AN547
# Board dirs: boards/<BOARD> (mpconfigboard.mk, mn_board.ld, manifest.py) plus the
# shared boards/qemu_common (vector table/FPU reset/UART, linker sections).

QEMU_PORT_SRC := $(ROOT)/firmware/_micronn/port/mn_port_cortexm.c $(ROOT)/firmware/_micronn/port/mn_host_read.c

# Tick counter: SysTick on the CPU clock. Under `qemu -icount shift=0` one instruction
# is 1 ns, so TICK_SCALE = 1e9 / MICRONN_SYSTICK_HZ instructions per tick. MICRONN_SYSTICK_HZ is
# the board's tick_hz in boards/boards.mk (MPS2, QEMU 25 MHz system clock: 40 instructions per
# tick); where the SysTick clock differs from it (MPS3 AN547, 32 MHz: 31.25 instructions per tick,
# not an integer) the firmware converts the count to tick_hz (1e9: ns, TICK_SCALE 1).
QEMU_TICK_CFLAGS = -DMICRONN_PORT_CORTEXM_SYSTICK -DMICRONN_SYSTICK_HZ=$($(1).tick_hz)$(if \
	$(filter-out $($(1).tick_hz),$($(1).systick_clock_hz)), -DMICRONN_SYSTICK_CLOCK_HZ=$($(1).systick_clock_hz))

.PHONY: $(addprefix fw-,$(QEMU_BOARDS))

# $(1): build name (fw-$(1), build/fw/$(1)), $(2): board dir, $(3): extra MICRONN_CFLAGS,
# $(4): frozen manifest in the board dir (default manifest.py).
define QEMU_FW_RULE
fw-$(1): $(BUILD)/fw/$(1)/firmware.elf

$(BUILD)/fw/$(1)/firmware.elf: $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: $(1)"
	@mkdir -p $(BUILD)/fw
	@# The frozen content embeds qstr numbers: regenerate it whenever anything changes, and its
	@# .mpy files (makemanifest checks their timestamps, not the manifest's mpy-cross options).
	@rm -rf $(BUILD)/fw/$(1)/frozen_content.c $(BUILD)/fw/$(1)/frozen_mpy
	@$(MAKE) -C $(MPY_DIR)/ports/qemu BOARD_DIR=$(ROOT)/boards/$(2) BOARD=$(2) \
		BUILD=$(BUILD)/fw/$(1) FROZEN_MANIFEST=$(ROOT)/boards/$(2)/$(or $(4),manifest.py) $(MPY_COMMON) \
		MICRONN_PORT_SRC="$(QEMU_PORT_SRC)" MICRONN_CFLAGS="$(call QEMU_TICK_CFLAGS,$(2)) $(3)" \
		> $(BUILD)/fw/$(1).log 2>&1 \
		|| { tail -40 $(BUILD)/fw/$(1).log; exit 1; }
	@touch $$@
	@ls -l $$@ | awk '{print "  " $$$$5 " bytes  " $$$$9}'
endef

$(foreach b,$(QEMU_BOARDS),$(eval $(call QEMU_FW_RULE,$(b),$(b),)))

# Cortex-M4 firmware with only the Tier-1 ops: every area of firmware/_micronn/micronn_config.h
# off, and the Tier-1 frozen package (boards/MPS2_AN386/manifest_tier1.py). Not part of
# `make test` (tests/host/test_config.py builds it); `make size-tier1` prints what micronn adds.
MICRONN_TIER1_CFLAGS := -DMICRONN_OP_ACTIVATIONS=0 -DMICRONN_OP_SIGNAL=0 -DMICRONN_OP_DETECTION=0 \
	-DMICRONN_OP_ELEMENTWISE=0 -DMICRONN_OP_SHAPE=0 -DMICRONN_OP_MATH=0 -DMICRONN_OP_NN=0 -DMICRONN_OP_INT16=0 \
	-DMICRONN_OP_RECURRENT=0 -DMICRONN_OP_INT4=0
.PHONY: fw-MPS2_AN386-tier1 fw-MPS2_AN386_tier1 size-tier1
fw-MPS2_AN386-tier1: fw-MPS2_AN386_tier1
$(eval $(call QEMU_FW_RULE,MPS2_AN386_tier1,MPS2_AN386,$(MICRONN_TIER1_CFLAGS),manifest_tier1.py))

size-tier1: deps
	@$(MAKE) --no-print-directory fw-MPS2_AN386 fw-MPS2_AN386-tier1
	@$(PY) -m host_tools size --board MPS2_AN386 \
		--board MPS2_AN386=$(BUILD)/fw/MPS2_AN386_tier1/firmware.elf
