# Raspberry Pi Pico (RP2040, Cortex-M0+ x2, 264 KB SRAM, 2 MB flash) with micronn.
# Built by boards/rp2.mk as an out-of-tree board of MicroPython's rp2 port.
set(PICO_BOARD "pico")
set(PICO_PLATFORM "rp2040")
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
