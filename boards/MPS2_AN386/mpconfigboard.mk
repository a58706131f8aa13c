# MPS2 AN386: Cortex-M4 with FPU (single precision) and DSP. QEMU machine mps2-an386.
QEMU_MACHINE = mps2-an386

CFLAGS += -mthumb -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
CFLAGS += -DQEMU_SOC_MPS2
CFLAGS += -DMICROPY_HW_MCU_NAME='"Cortex-M4F"'

# 16 MiB: all of the 16 MiB PSRAM at 0x21000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = 16777216

MPY_CROSS_FLAGS += -march=armv7emsp

include $(BOARD_DIR)/../qemu_common/mn_board.mk
