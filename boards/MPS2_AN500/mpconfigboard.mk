# MPS2 AN500: Cortex-M7 with double-precision FPU. QEMU machine, CPU flags, heap: boards/boards.mk.
include $(BOARD_DIR)/../boards.mk
MN_BOARD := $(notdir $(BOARD_DIR))
QEMU_MACHINE = $($(MN_BOARD).machine)

CFLAGS += $($(MN_BOARD).cflags)
CFLAGS += -DQEMU_SOC_MPS2
CFLAGS += -DMICROPY_HW_MCU_NAME='"$($(MN_BOARD).mcu)"'

# 16 MiB: all of the 16 MiB PSRAM at 0x60000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = $($(MN_BOARD).heap)

MPY_CROSS_FLAGS += $($(MN_BOARD).mpy_cross)

include $(BOARD_DIR)/../qemu_common/mn_board.mk
