// Per-port services for the bindings: a monotonic tick counter.
#ifndef MN_PORT_H
#define MN_PORT_H

#include <stdint.h>

// Ticks since an arbitrary start; never wraps in practice (64-bit).
uint64_t mn_port_ticks(void);

#if defined(MICRONN_PORT_CORTEXM_SYSTICK)
// SysTick at the board's system clock. Under `qemu -icount shift=0` one guest
// instruction takes 1 ns, so one tick is MN_PORT_TICK_SCALE instructions.
#ifndef MICRONN_SYSTICK_HZ
#define MICRONN_SYSTICK_HZ 25000000
#endif
#define MN_PORT_TICK_UNIT_QSTR MP_QSTR_systick
#define MN_PORT_TICK_SCALE (1000000000 / MICRONN_SYSTICK_HZ)
#elif defined(__unix__) || defined(__APPLE__)
#define MN_PORT_TICK_UNIT_QSTR MP_QSTR_ns
#define MN_PORT_TICK_SCALE 1
#else
// Any other port: microseconds from the HAL.
#define MN_PORT_TICK_UNIT_QSTR MP_QSTR_us
#define MN_PORT_TICK_SCALE 1
#endif

#if defined(__ARM_ARCH_8_1M_MAIN__) || (defined(__ARM_ARCH_8M_MAIN__) && defined(__ARM_FEATURE_MVE))
#define MN_ARCH_QSTR MP_QSTR_armv8_1m
#elif defined(__ARM_ARCH_8M_MAIN__)
#define MN_ARCH_QSTR MP_QSTR_armv8m
#elif defined(__ARM_ARCH_7EM__)
#define MN_ARCH_QSTR MP_QSTR_armv7em
#elif defined(__ARM_ARCH_7M__)
#define MN_ARCH_QSTR MP_QSTR_armv7m
#elif defined(__ARM_ARCH_6M__)
#define MN_ARCH_QSTR MP_QSTR_armv6m
#elif defined(__XTENSA__)
#define MN_ARCH_QSTR MP_QSTR_xtensa
#else
#define MN_ARCH_QSTR MP_QSTR_host
#endif

#endif // MN_PORT_H
