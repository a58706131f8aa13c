# ESP32-S3 firmware: needs ESP-IDF (v5.2.2 to v5.4, as MicroPython 1.25 supports) sourced in
# the shell (`. $IDF_PATH/export.sh`). ESP-IDF is not in Debian or PyPI, so CI cannot build it.
.PHONY: fw-ESP32_S3_MICRONN
fw-ESP32_S3_MICRONN: | $(MPY_DIR)/.micronn-version $(MPY_CROSS)
	@command -v idf.py >/dev/null || { echo "fw-ESP32_S3_MICRONN: ESP-IDF not found (source \$$IDF_PATH/export.sh; MicroPython 1.25 supports IDF v5.2.2-v5.4)"; exit 1; }
	$(MAKE) -C $(MPY_DIR)/ports/esp32 BOARD_DIR=$(ROOT)/boards/ESP32_S3_MICRONN \
		BUILD=$(BUILD)/fw/ESP32_S3_MICRONN USER_C_MODULES=$(ROOT)/firmware/_micronn/micropython.cmake \
		MPY_LIB_DIR=$(MPY_LIB_STUB)
