# RPI_PICO firmware: the rp2 port's own frozen modules, asyncio, and micronn.
# Nothing from micropython-lib (the stock board also pulls onewire, ds18x20, dht, neopixel).
freeze("$(PORT_DIR)/modules")  # _boot.py mounts the flash filesystem; rp2.py (PIO assembler)
include("$(MPY_DIR)/extmod/asyncio")
include("../../firmware/manifest.py")
