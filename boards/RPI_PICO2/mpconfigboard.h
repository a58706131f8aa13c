// Raspberry Pi Pico 2 with micronn. 4 MB flash: 1 MB firmware, 3 MB filesystem (stock layout).
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico2"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (PICO_FLASH_SIZE_BYTES - 1024 * 1024)
