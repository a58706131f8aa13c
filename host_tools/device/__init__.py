"""Boards and what goes onto them: boards (firmware paths, QEMU/unix runner), deploy (mpremote),
flash (esptool / RP2 drive), romfs and uf2 (images), fit and size (does it fit, firmware
sizes), models (the model registry fetched into build/models)."""
