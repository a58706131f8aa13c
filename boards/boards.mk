# The board table: the facts about each board that make and Python both use, in one place.
# Read by the Makefile (and boards/qemu.mk, boards/rp2.mk), by each QEMU board's
# mpconfigboard.mk (the MicroPython port's build) and by host_tools/device/boards.py, which parses this
# file: only comments, blank lines and `NAME := value` lines (no make functions, no references).
# Adding a board: a row of <board>.<field> lines below, and its name in the lists it belongs to.
#
# Lists (space-separated, in the order the tools use them):
#   MN_BOARDS          every board micronn has a definition for
#   MN_CI_BOARDS       firmwares `make firmwares` / `make test` build
#   MN_TEST_BOARDS     boards every device test runs on (tests/host/conftest.py DEFAULT_BOARDS)
#   MN_MODEL_BOARDS    boards the real models run on (conftest DEFAULT_MODEL_BOARDS)
#   MN_EMU_BOARDS      emulated boards (slower than QEMU) that run the tests/device scripts and
#                      the nine Tier-1 models only (conftest DEFAULT_EMU_BOARDS)
# Fields:
#   port               unix | qemu | rp2 | esp32
#   cpu                CPU description (host_tools.boards.Board.cpu)
#   heap               MicroPython GC heap in bytes (unix: -X heapsize; QEMU: MICROPY_HEAP_SIZE)
#   tick_hz            rate of micronn.ticks() (1000000000: ns); TICK_SCALE = 1e9 / tick_hz
#                      instructions per tick under `qemu -icount shift=0` (one instruction per ns)
# QEMU boards:
#   machine            qemu-system-arm -machine
#   mcu                MICROPY_HW_MCU_NAME
#   cflags             CPU flags of the firmware build
#   mpy_cross          MPY_CROSS_FLAGS (native emitter architecture of frozen code)
#   systick_clock_hz   SysTick (CPU) clock in QEMU; when it differs from tick_hz the firmware
#                      converts its count to tick_hz (MICRONN_SYSTICK_CLOCK_HZ)
#   romfs              address and bytes of the RAM QEMU's loader preloads a ROMFS image into
#                      (mounted at /rom; boards/qemu_common/_mn_boot.py has the same addresses)
# RP2 boards:
#   uf2_family         host_tools/device/uf2.py --family
#   emulator           rp2040js: scripts run in the emulator (boards/RPI_PICO/emu, host_tools/device/boards.py)
#   romfs              address and bytes of the ROMFS partition in flash (mpconfigboard.h), where
#                      the emulator places the image before boot

MN_BOARDS := unix unix-nosimd MPS2_AN385 MPS2_AN386 MPS2_AN500 MPS3_AN547 RPI_PICO RPI_PICO2 ESP32_S3_MICRONN
MN_CI_BOARDS := unix unix-nosimd MPS2_AN385 MPS2_AN386 MPS2_AN500 MPS3_AN547 RPI_PICO RPI_PICO2
MN_TEST_BOARDS := unix unix-nosimd MPS2_AN385 MPS2_AN386 MPS2_AN500 MPS3_AN547
MN_MODEL_BOARDS := unix MPS2_AN386 MPS2_AN385
MN_EMU_BOARDS := RPI_PICO

unix.port := unix
unix.cpu := host CPU (MicroPython unix port)
unix.heap := 16777216
unix.tick_hz := 1000000000

# The same built with -DMN_HOST_SIMD=0 (make fw-unix-nosimd): the portable C kernels RP2040 and
# ESP32 run, on every commit.
unix-nosimd.port := unix
unix-nosimd.cpu := host CPU, portable C kernels (no SSE2)
unix-nosimd.heap := 16777216
unix-nosimd.tick_hz := 1000000000

# MPS2 (QEMU 25 MHz system clock): 40 instructions per tick. Heap: the 16 MiB PSRAM at
# 0x21000000 (AN385/AN386) or 0x60000000 (AN500), see each board's mn_board.ld.
MPS2_AN385.port := qemu
MPS2_AN385.cpu := Cortex-M3 (Armv7-M, no FPU)
MPS2_AN385.machine := mps2-an385
MPS2_AN385.mcu := Cortex-M3
MPS2_AN385.cflags := -mthumb -mcpu=cortex-m3 -mfloat-abi=soft
MPS2_AN385.mpy_cross := -march=armv7m
MPS2_AN385.heap := 16777216
MPS2_AN385.tick_hz := 25000000
MPS2_AN385.systick_clock_hz := 25000000
MPS2_AN385.romfs := 0x20200000 2097152

MPS2_AN386.port := qemu
MPS2_AN386.cpu := Cortex-M4F (Armv7E-M, DSP, FPv4-SP)
MPS2_AN386.machine := mps2-an386
MPS2_AN386.mcu := Cortex-M4F
MPS2_AN386.cflags := -mthumb -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
MPS2_AN386.mpy_cross := -march=armv7emsp
MPS2_AN386.heap := 16777216
MPS2_AN386.tick_hz := 25000000
MPS2_AN386.systick_clock_hz := 25000000
MPS2_AN386.romfs := 0x20200000 2097152

MPS2_AN500.port := qemu
MPS2_AN500.cpu := Cortex-M7 (Armv7E-M, DSP, FPv5-D16)
MPS2_AN500.machine := mps2-an500
MPS2_AN500.mcu := Cortex-M7
MPS2_AN500.cflags := -mthumb -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard
MPS2_AN500.mpy_cross := -march=armv7emdp
MPS2_AN500.heap := 16777216
MPS2_AN500.tick_hz := 25000000
MPS2_AN500.systick_clock_hz := 25000000
MPS2_AN500.romfs := 0x20200000 2097152

# MPS3 AN547 (32 MHz): 31.25 instructions per tick, not an integer, so the firmware converts the
# count to ns (tick_hz 1e9, TICK_SCALE 1, resolution 31.25). Heap: the first 16 MiB of the DDR.
MPS3_AN547.port := qemu
MPS3_AN547.cpu := Cortex-M55 (Armv8.1-M, MVE, FPU)
MPS3_AN547.machine := mps3-an547
MPS3_AN547.mcu := Cortex-M55
MPS3_AN547.cflags := -mthumb -mcpu=cortex-m55 -mfloat-abi=hard
MPS3_AN547.mpy_cross := -march=armv7emdp
MPS3_AN547.heap := 16777216
MPS3_AN547.tick_hz := 1000000000
MPS3_AN547.systick_clock_hz := 32000000
MPS3_AN547.romfs := 0x61200000 2097152

# RPI_PICO runs in the rp2040js emulator (125 MHz; micronn.ticks() in us, 125 cycles each; the
# emulator's own cycle counter is read around an inference by the bench). Heap: MicroPython's
# GC heap in the emulated SRAM (gc.mem_free() + gc.mem_alloc() at boot).
RPI_PICO.port := rp2
RPI_PICO.cpu := RP2040 (Cortex-M0+)
RPI_PICO.uf2_family := rp2040
RPI_PICO.emulator := rp2040js
RPI_PICO.heap := 246080
RPI_PICO.tick_hz := 1000000
RPI_PICO.romfs := 0x100C0000 524288
# The flash below the ROMFS partition: the most firmware image bytes boards/rp2.mk accepts.
RPI_PICO.code_bytes := 786432

RPI_PICO2.port := rp2
RPI_PICO2.cpu := RP2350 (Cortex-M33, DSP)
RPI_PICO2.uf2_family := rp2350-arm-s
RPI_PICO2.code_bytes := 1048576

ESP32_S3_MICRONN.port := esp32
ESP32_S3_MICRONN.cpu := ESP32-S3 (Xtensa LX7) + octal PSRAM
