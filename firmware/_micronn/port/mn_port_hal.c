// Ticks on ports without a dedicated counter: the HAL's microsecond clock.
#if !defined(__unix__) && !defined(__APPLE__) && !defined(MICRONN_PORT_CORTEXM_SYSTICK)
#include "py/mphal.h"

#include "../mn_port.h"

static uint32_t mn_last;
static uint64_t mn_high;

uint64_t mn_port_ticks(void) {
    uint32_t now = mp_hal_ticks_us();
    if (now < mn_last) {
        mn_high += 1ULL << 32;
    }
    mn_last = now;
    return mn_high | now;
}
#endif
