# ESP32-S3: the port's own boot modules (filesystem set-up) and micronn; no micropython-lib.
freeze("$(PORT_DIR)/modules")
include("../../firmware/manifest.py")
