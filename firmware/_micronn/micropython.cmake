# _micronn user C module (CMake-based ports: rp2, esp32).
add_library(usermod_micronn INTERFACE)

file(GLOB MICRONN_KERNELS ${CMAKE_CURRENT_LIST_DIR}/kernels/*.c)
file(GLOB MICRONN_BINDS ${CMAKE_CURRENT_LIST_DIR}/bind_*.c)

target_sources(usermod_micronn INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}/mod_micronn.c
    ${CMAKE_CURRENT_LIST_DIR}/mn_args.c
    ${MICRONN_BINDS}
    ${MICRONN_KERNELS}
    ${CMAKE_CURRENT_LIST_DIR}/port/mn_port_hal.c
)

# Kernels are hot loops (and inline asm needs the registers -O2 frees): -O2 as on make ports.
set_source_files_properties(${MICRONN_KERNELS} PROPERTIES COMPILE_OPTIONS "-O2")

target_include_directories(usermod_micronn INTERFACE ${CMAKE_CURRENT_LIST_DIR})

# RP2040: the heavy int8 kernels on both cores (port/mn_dual_rp2.c); -DMICRONN_DUAL_CORE=0 (make
# fw-RPI_PICO MICRONN_DUAL_CORE=0) builds the single-core firmware.
if(PICO_PLATFORM STREQUAL "rp2040")
    # the default (1) is in the board's mpconfigboard.h
    target_sources(usermod_micronn INTERFACE ${CMAKE_CURRENT_LIST_DIR}/port/mn_dual_rp2.c)
    if(DEFINED MICRONN_DUAL_CORE)
        target_compile_definitions(usermod_micronn INTERFACE MICRONN_DUAL_CORE=${MICRONN_DUAL_CORE})
    endif()
    target_link_libraries(usermod_micronn INTERFACE pico_multicore)
endif()

target_link_libraries(usermod INTERFACE usermod_micronn)
