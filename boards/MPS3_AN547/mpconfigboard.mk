# MPS3 AN547: Cortex-M55 (Armv8.1-M, FPU and MVE, TrustZone; runs in Secure state).
# QEMU machine mps3-an547. UART0 is at 0x49303000 (the port's uart.c only knows the
# MPS2 address, so QEMU_SOC_MPS2 is not defined and qemu_common/mn_board.c has the UART).
QEMU_MACHINE = mps3-an547

CFLAGS += -mthumb -mcpu=cortex-m55 -mfloat-abi=hard
CFLAGS += -DQEMU_SOC_MPS3 -DMN_BOARD_UART0_BASE=0x49303000
CFLAGS += -DMICROPY_HW_MCU_NAME='"Cortex-M55"'
AFLAGS += -mthumb -march=armv8.1-m.main

# 16 MiB at the start of the DDR at 0x60000000 (see mn_board.ld).
MICROPY_HEAP_SIZE = 16777216

MPY_CROSS_FLAGS += -march=armv7emdp

include $(BOARD_DIR)/../qemu_common/mn_board.mk
