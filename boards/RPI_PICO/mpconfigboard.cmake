# Raspberry Pi Pico (RP2040, Cortex-M0+ x2, 264 KB SRAM, 2 MB flash) with micronn.
# Built by boards/rp2.mk as an out-of-tree board of MicroPython's rp2 port.
set(PICO_BOARD "pico")
set(PICO_PLATFORM "rp2040")
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)

# The SDK adds a C++ operator new/delete shim, so CMake links with g++, which needs libstdc++
# (Debian ships it for arm-none-eabi only in a 300 MB package). MicroPython has no C++: leave
# the shim out and link with the C driver plus libm (g++ added -lm implicitly). Deferred to
# the end of the port's CMakeLists, where the target `firmware` exists.
set_source_files_properties(${PICO_SDK_PATH}/src/rp2_common/pico_cxx_options/new_delete.cpp
    PROPERTIES HEADER_FILE_ONLY TRUE)
function(micronn_link_without_cxx)
    set_property(TARGET firmware PROPERTY LINKER_LANGUAGE C)
    target_link_libraries(firmware m)
endfunction()
cmake_language(DEFER CALL micronn_link_without_cxx)
