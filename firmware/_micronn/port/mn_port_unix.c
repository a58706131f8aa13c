// Ticks on the unix port: CLOCK_MONOTONIC nanoseconds.
#if defined(__unix__) || defined(__APPLE__)
#include <time.h>

#include "../mn_port.h"

uint64_t mn_port_ticks(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif
