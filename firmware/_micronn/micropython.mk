# _micronn user C module (make-based ports: unix, qemu).
MICRONN_MOD_DIR := $(USERMOD_DIR)

SRC_USERMOD_C += $(MICRONN_MOD_DIR)/mod_micronn.c $(MICRONN_MOD_DIR)/mn_args.c
SRC_USERMOD_C += $(wildcard $(MICRONN_MOD_DIR)/bind_*.c)
SRC_USERMOD_C += $(wildcard $(MICRONN_MOD_DIR)/kernels/*.c)
SRC_USERMOD_C += $(MICRONN_MOD_DIR)/port/mn_port_unix.c
SRC_USERMOD_C += $(MICRONN_MOD_DIR)/port/mn_port_hal.c
SRC_USERMOD_C += $(MICRONN_PORT_SRC)

CFLAGS_USERMOD += -I$(MICRONN_MOD_DIR) $(MICRONN_CFLAGS)
# Kernels are hot loops: optimise them for speed even where the port builds for size.
$(BUILD)/_micronn/kernels/%.o: CFLAGS += -O2
# Binding headers carry globals-table entries (and so qstrs): re-extract qstrs when they change.
QSTR_GLOBAL_DEPENDENCIES += $(wildcard $(MICRONN_MOD_DIR)/*.h)
# Our C files (not MicroPython's): all warnings, as errors (-Wextra after the port's flags also
# turns the unix port's -Wno-unused-parameter back on for them).
$(BUILD)/_micronn/%.o: CFLAGS += -Wall -Wextra -Werror
