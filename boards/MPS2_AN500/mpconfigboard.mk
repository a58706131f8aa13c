# MPS2 AN500: Cortex-M7 with double-precision FPU. QEMU machine mps2-an500.
QEMU_MACHINE = mps2-an500

CFLAGS += -mthumb -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard
CFLAGS += -DQEMU_SOC_MPS2
CFLAGS += -DMICROPY_HW_MCU_NAME='"Cortex-M7"'

# 16 MiB: all of the 16 MiB PSRAM at 0x60000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = 16777216

MPY_CROSS_FLAGS += -march=armv7emdp

include $(BOARD_DIR)/../qemu_common/mn_board.mk
