# micronn QEMU boards: make fragment included by each boards/<BOARD>/mpconfigboard.mk.
# Builds qemu_common/mn_board.c (vectors, FPU reset, UART) and links with the
# board's linker script, which includes qemu_common/mn_sections.ld.
MN_BOARD_COMMON := $(abspath $(BOARD_DIR)/../qemu_common)

QEMU_ARCH = arm

# Our rules below come before the port's `all`.
.DEFAULT_GOAL := all
LDSCRIPT = $(BOARD_DIR)/mn_board.ld
LDFLAGS += -L$(MN_BOARD_COMMON)

SRC_BOARD_O = shared/runtime/gchelper_native.o shared/runtime/gchelper_thumb2.o mn_board/mn_board.o

$(BUILD)/mn_board/mn_board.o: $(MN_BOARD_COMMON)/mn_board.c
	$(call compile_c)

$(BUILD)/firmware.elf: $(MN_BOARD_COMMON)/mn_sections.ld
