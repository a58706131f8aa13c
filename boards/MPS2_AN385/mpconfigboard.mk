# MPS2 AN385: Cortex-M3, no FPU. QEMU machine mps2-an385.
QEMU_MACHINE = mps2-an385

CFLAGS += -mthumb -mcpu=cortex-m3 -mfloat-abi=soft
CFLAGS += -DQEMU_SOC_MPS2
CFLAGS += -DMICROPY_HW_MCU_NAME='"Cortex-M3"'

# 16 MiB: all of the 16 MiB PSRAM at 0x21000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = 16777216

MPY_CROSS_FLAGS += -march=armv7m

include $(BOARD_DIR)/../qemu_common/mn_board.mk
