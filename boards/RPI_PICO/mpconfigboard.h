// Raspberry Pi Pico with micronn. 2 MB flash: 640 KB firmware, 1408 KB filesystem
// (the stock layout, so an existing filesystem survives flashing this firmware).
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (1408 * 1024)
