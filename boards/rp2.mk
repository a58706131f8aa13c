# Raspberry Pi RP2040 / RP2350 firmwares (included from the top-level Makefile).
# make fw-RPI_PICO | fw-RPI_PICO2  ->  build/fw/<BOARD>/firmware.uf2 and firmware.elf
#
# MicroPython's rp2 port is configured with CMake directly (its Makefile is a thin wrapper
# that insists on lib/pico-sdk being a git checkout); the boards are out of tree in
# boards/<BOARD>. Pico SDK 2.1.1, TinyUSB 0.18.0 and mbedtls 3.6 come from Debian trixie
# (host_tools/scripts/deps_rp2.sh). picotool is not used: the SDK is configured with
# PICO_NO_PICOTOOL and host_tools/device/uf2.py writes the UF2 (the same bytes as picotool 2.1.1's
# `uf2 convert`, RP2350-E10 absolute block included).

# RP2_BOARDS and each board's UF2 family (<board>.uf2_family): the board table, boards/boards.mk.
RP2_DEPS := $(DEPS)/rp2
RP2_STAMP := $(RP2_DEPS)/.micronn-rp2

.PHONY: deps-rp2 $(addprefix fw-,$(RP2_BOARDS))

deps-rp2: $(RP2_STAMP)

$(RP2_STAMP): host_tools/scripts/deps_rp2.sh $(MPY_DIR)/.micronn-version
	@mkdir -p $(RP2_DEPS)
	@flock $(RP2_DEPS).lock bash host_tools/scripts/deps_rp2.sh
	@touch $@

# CMake is re-run on every rebuild (about 1 s): the module's CMake file globs its sources.
# flock: two makes building the same board at once (e.g. `make test` and `make size` in two
# shells) would corrupt its build directory; the second waits instead.
RP2_CMAKE_ARGS = -DMICROPY_BOARD=$(1) -DMICROPY_BOARD_DIR=$(ROOT)/boards/$(1) \
	-DUSER_C_MODULES=$(ROOT)/firmware/_micronn/micropython.cmake \
	-DMICROPY_LIB_DIR=$(MPY_LIB_STUB) \
	-DPICO_SDK_PATH_OVERRIDE=$(RP2_DEPS)/usr/src/pico-sdk -DPICO_NO_PICOTOOL=1 \
	-DMICRONN_DUAL_CORE=$(or $(MICRONN_DUAL_CORE),1)

define RP2_FW_RULE
fw-$(1): $(BUILD)/fw/$(1)/firmware.uf2

$(BUILD)/fw/$(1)/firmware.uf2: $(BUILD)/fw/$(1)/firmware.elf host_tools/device/uf2.py
	@n=$$$$(stat -c %s $(BUILD)/fw/$(1)/firmware.bin); test $$$$n -le $($(1).code_bytes) || { \
		echo "$(1): firmware image of $$$$n bytes, the flash below the ROMFS partition holds $($(1).code_bytes)"; exit 1; }
	@python3 host_tools/device/uf2.py $$< -o $$@ --family $($(1).uf2_family)
	@ls -l $$@ | awk '{print "  " $$$$5 " bytes  " $$$$9}'

$(BUILD)/fw/$(1)/firmware.elf: $(FW_SRC) $(wildcard boards/$(1)/*) boards/rp2.mk \
		firmware/_micronn/micropython.cmake $(MPY_CROSS) $(RP2_STAMP)
	@echo "firmware: $(1)"
	@mkdir -p $(BUILD)/fw/$(1)
	@flock $(BUILD)/fw/$(1).lock sh -c '{ cmake -S $(MPY_DIR)/ports/rp2 -B $(BUILD)/fw/$(1) \
		$(call RP2_CMAKE_ARGS,$(1)) && $(MAKE) -C $(BUILD)/fw/$(1) -j$(JOBS); } \
		> $(BUILD)/fw/$(1).log 2>&1' || { tail -40 $(BUILD)/fw/$(1).log; exit 1; }
	@touch $$@
endef

$(foreach b,$(RP2_BOARDS),$(eval $(call RP2_FW_RULE,$(b))))
