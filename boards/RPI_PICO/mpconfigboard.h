// Raspberry Pi Pico with micronn. 2 MB flash: 768 KB firmware (every op area on: about 545 KB),
// 512 KB ROMFS at 0x100C0000 (models run from flash in place: `micronn deploy --romfs`, mounted
// at /rom), 768 KB filesystem. The filesystem is smaller than the stock 1408 KB, so flashing over
// a stock firmware reformats it. boards/rp2.mk refuses an image larger than the firmware part.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (768 * 1024)
#define MICROPY_HW_ROMFS_BYTES                  (512 * 1024)
