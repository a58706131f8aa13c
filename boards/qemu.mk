# QEMU Cortex-M firmwares (included from the top-level Makefile).
# make fw-MPS2_AN385 | fw-MPS2_AN386 | fw-MPS2_AN500 | fw-MPS3_AN547
# Board dirs: boards/<BOARD> (mpconfigboard.mk, mn_board.ld, manifest.py) plus the
# shared boards/qemu_common (vector table/FPU reset/UART, linker sections).

QEMU_PORT_SRC := $(ROOT)/firmware/_micronn/port/mn_port_cortexm.c $(ROOT)/firmware/_micronn/port/mn_host_read.c

# Tick counter: SysTick on the CPU clock. Under `qemu -icount shift=0` one instruction
# is 1 ns, so TICK_SCALE = 1e9 / MICRONN_SYSTICK_HZ instructions per tick.
# MPS2 (QEMU 25 MHz system clock): 40 instructions per tick.
# MPS3 AN547 (32 MHz): 31.25 instructions per tick, not an integer, so the count is
# converted to ns (MICRONN_SYSTICK_HZ=1e9, TICK_SCALE 1, resolution 31.25).
QEMU_TICK_CFLAGS_MPS2 := -DMICRONN_PORT_CORTEXM_SYSTICK -DMICRONN_SYSTICK_HZ=25000000
QEMU_TICK_CFLAGS_MPS2_AN385 := $(QEMU_TICK_CFLAGS_MPS2)
QEMU_TICK_CFLAGS_MPS2_AN386 := $(QEMU_TICK_CFLAGS_MPS2)
QEMU_TICK_CFLAGS_MPS2_AN500 := $(QEMU_TICK_CFLAGS_MPS2)
QEMU_TICK_CFLAGS_MPS3_AN547 := -DMICRONN_PORT_CORTEXM_SYSTICK -DMICRONN_SYSTICK_HZ=1000000000 \
	-DMICRONN_SYSTICK_CLOCK_HZ=32000000

.PHONY: $(addprefix fw-,$(QEMU_BOARDS))

define QEMU_FW_RULE
fw-$(1): $(BUILD)/fw/$(1)/firmware.elf

$(BUILD)/fw/$(1)/firmware.elf: $(FW_SRC) $(MPY_CROSS) | $(MPY_DIR)/.micronn-version
	@echo "firmware: $(1)"
	@mkdir -p $(BUILD)/fw
	@# The frozen content embeds qstr numbers: regenerate it whenever anything changes.
	@rm -f $(BUILD)/fw/$(1)/frozen_content.c
	@$(MAKE) -C $(MPY_DIR)/ports/qemu BOARD_DIR=$(ROOT)/boards/$(1) BOARD=$(1) \
		BUILD=$(BUILD)/fw/$(1) FROZEN_MANIFEST=$(ROOT)/boards/$(1)/manifest.py $(MPY_COMMON) \
		MICRONN_PORT_SRC="$(QEMU_PORT_SRC)" MICRONN_CFLAGS="$(QEMU_TICK_CFLAGS_$(1))" \
		> $(BUILD)/fw/$(1).log 2>&1 \
		|| { tail -40 $(BUILD)/fw/$(1).log; exit 1; }
	@touch $$@
	@ls -l $$@ | awk '{print "  " $$$$5 " bytes  " $$$$9}'
endef

$(foreach b,$(QEMU_BOARDS),$(eval $(call QEMU_FW_RULE,$(b))))
