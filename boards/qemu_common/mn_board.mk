# micronn QEMU boards: make fragment included by each boards/<BOARD>/mpconfigboard.mk.
# Builds qemu_common/mn_board.c (vectors, FPU reset, UART) and links with the
# board's linker script, which includes qemu_common/mn_sections.ld.
MN_BOARD_COMMON := $(abspath $(BOARD_DIR)/../qemu_common)

QEMU_ARCH = arm

# A littlefs RAM disk mounted at "/" on every boot (qemu_common/_mn_boot.py, frozen; run from
# mp_init() through MICROPY_PORT_INIT_FUNC, defined in the force-included mn_board_init.h).
MICROPY_VFS_LFS2 = 1
CFLAGS += -include $(MN_BOARD_COMMON)/mn_board_init.h
# (make does not see flag changes: rebuild what the hook and littlefs change when this changes)
QSTR_GLOBAL_DEPENDENCIES += $(MN_BOARD_COMMON)/mn_board.mk
$(BUILD)/py/runtime.o $(BUILD)/extmod/modvfs.o $(BUILD)/extmod/vfs.o $(BUILD)/extmod/vfs_lfs.o \
	$(BUILD)/extmod/modos.o: $(MN_BOARD_COMMON)/mn_board_init.h $(MN_BOARD_COMMON)/mn_board.mk

# Our rules below come before the port's `all`.
.DEFAULT_GOAL := all
LDSCRIPT = $(BOARD_DIR)/mn_board.ld
LDFLAGS += -L$(MN_BOARD_COMMON)

SRC_BOARD_O = shared/runtime/gchelper_native.o shared/runtime/gchelper_thumb2.o mn_board/mn_board.o

$(BUILD)/mn_board/mn_board.o: $(MN_BOARD_COMMON)/mn_board.c
	$(call compile_c)

$(BUILD)/firmware.elf: $(MN_BOARD_COMMON)/mn_sections.ld
