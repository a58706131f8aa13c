// Raspberry Pi Pico 2 with micronn. 4 MB flash: 1 MB firmware, 1 MB ROMFS (models run from flash
// in place: `micronn deploy --romfs`, mounted at /rom), 2 MB filesystem. The filesystem is smaller
// than the stock 3 MB, so flashing over a stock firmware reformats it.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico2"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (PICO_FLASH_SIZE_BYTES - 2 * 1024 * 1024)
#define MICROPY_HW_ROMFS_BYTES                  (1024 * 1024)
