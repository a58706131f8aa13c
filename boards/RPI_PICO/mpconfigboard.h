// Raspberry Pi Pico with micronn. 2 MB flash: 768 KB firmware (every op area on: about 545 KB),
// 512 KB ROMFS at 0x100C0000 (models run from flash in place: `micronn deploy --romfs`, mounted
// at /rom), 768 KB filesystem. The filesystem is smaller than the stock 1408 KB, so flashing over
// a stock firmware reformats it. boards/rp2.mk refuses an image larger than the firmware part.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (768 * 1024)
#define MICROPY_HW_ROMFS_BYTES                  (512 * 1024)

// micronn's large int8 layers on both cores (firmware/_micronn/port/mn_dual_rp2.c); the single-core
// firmware: make fw-RPI_PICO MICRONN_DUAL_CORE=0. Here (not only on the compiler's command line)
// so that MicroPython's QSTR scan sees it too.
#ifndef MICRONN_DUAL_CORE
#define MICRONN_DUAL_CORE (1)
#endif
