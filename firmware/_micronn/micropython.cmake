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

target_include_directories(usermod_micronn INTERFACE ${CMAKE_CURRENT_LIST_DIR})

target_link_libraries(usermod INTERFACE usermod_micronn)
