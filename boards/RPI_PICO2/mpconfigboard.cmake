# Raspberry Pi Pico 2 (RP2350 in Arm mode, Cortex-M33 x2 with DSP, 520 KB SRAM, 4 MB flash)
# with micronn. Built by boards/rp2.mk as an out-of-tree board of MicroPython's rp2 port.
set(PICO_BOARD "pico2")
set(PICO_PLATFORM "rp2350")
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
