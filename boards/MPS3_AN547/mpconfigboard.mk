# MPS3 AN547: Cortex-M55 (Armv8.1-M, FPU and MVE, TrustZone; runs in Secure state).
# QEMU machine, CPU flags, heap: boards/boards.mk. UART0 is at 0x49303000 (the port's uart.c
# only knows the MPS2 address, so QEMU_SOC_MPS2 is not defined and qemu_common/mn_board.c has
# the UART).
include $(BOARD_DIR)/../boards.mk
MN_BOARD := $(notdir $(BOARD_DIR))
QEMU_MACHINE = $($(MN_BOARD).machine)

CFLAGS += $($(MN_BOARD).cflags)
CFLAGS += -DQEMU_SOC_MPS3 -DMN_BOARD_UART0_BASE=0x49303000
CFLAGS += -DMICROPY_HW_MCU_NAME='"$($(MN_BOARD).mcu)"'
AFLAGS += -mthumb -march=armv8.1-m.main

# 16 MiB at the start of the DDR at 0x60000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = $($(MN_BOARD).heap)

MPY_CROSS_FLAGS += $($(MN_BOARD).mpy_cross)

include $(BOARD_DIR)/../qemu_common/mn_board.mk
