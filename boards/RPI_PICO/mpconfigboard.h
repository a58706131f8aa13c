// Raspberry Pi Pico with micronn. 2 MB flash: 512 KB firmware, 512 KB ROMFS (models run from
// flash in place: `micronn deploy --romfs`, mounted at /rom), 1024 KB filesystem. The filesystem
// is smaller than the stock 1408 KB, so flashing over a stock firmware reformats it.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (1024 * 1024)
#define MICROPY_HW_ROMFS_BYTES                  (512 * 1024)
