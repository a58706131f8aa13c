// Cortex-M QEMU boards: a 64-bit SysTick tick counter and a semihosting file reader.
//
// Ticks: SysTick on the processor clock, reload 2^24 - 1, its interrupt adding 2^24
// to a 64-bit high part. The board's vector table (boards/qemu_common/mn_board.c)
// sends SysTick to mn_board_systick_isr, defined here. Started on first use.
//
// Determinism: under `qemu -icount shift=0` a guest instruction takes 1 ns of
// virtual time, so one tick is 1e9 / clock instructions. The phase of the tick
// clock against the instruction stream would still vary from run to run (the
// REPL spins on the UART for a host-dependent time), making deltas jitter by one
// tick. So every read restarts the tick phase (writing SYST_CVR restarts the
// count at that instruction): the counter adds the whole ticks elapsed since the
// previous read and drops the part-tick. Deltas between reads are then exact
// functions of the instructions executed between them; the total runs slow by
// under one tick per read.
//
// If MICRONN_SYSTICK_CLOCK_HZ is defined, SysTick runs at that clock and the count
// is converted to MICRONN_SYSTICK_HZ (used on MPS3, whose 32 MHz clock makes a
// tick 31.25 instructions: ticks are reported in ns there, TICK_SCALE 1).
#if defined(MICRONN_PORT_CORTEXM_SYSTICK)
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../mn_port.h"

#define MN_SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define MN_SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define MN_SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define MN_SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)

#define MN_SYST_CSR_ENABLE (1u << 0)
#define MN_SYST_CSR_TICKINT (1u << 1)
#define MN_SYST_CSR_CLKSOURCE (1u << 2) // processor clock
#define MN_ICSR_PENDSTSET (1u << 26)
#define MN_ICSR_PENDSTCLR (1u << 25)

#define MN_SYST_RELOAD 0x00FFFFFFu
#define MN_SYST_PERIOD (1ull << 24)

void mn_board_systick_isr(void);

static volatile uint64_t mn_systick_high; // 2^24 per expiry since the last restart
static uint64_t mn_systick_total; // whole ticks (scaled) up to the last restart
static uint8_t mn_systick_started;

static inline uint32_t mn_irq_save(void) {
    uint32_t primask;
    __asm volatile ("mrs %0, primask\n cpsid i" : "=r" (primask) : : "memory");
    return primask;
}

static inline void mn_irq_restore(uint32_t primask) {
    __asm volatile ("msr primask, %0" : : "r" (primask) : "memory");
}

void mn_board_systick_isr(void) {
    mn_systick_high += MN_SYST_PERIOD;
}

// Restart the count at this instruction: CVR reads 0 for one tick, then reloads
// (without an interrupt) and counts down; the interrupt fires when it reaches 0.
// Call with interrupts masked.
static void mn_systick_restart(void) {
    MN_SYST_CVR = 0;
    MN_SCB_ICSR = MN_ICSR_PENDSTCLR;
    mn_systick_high = 0;
}

// Ticks elapsed since the last restart -> counter units. Scaled per interval (not
// on the total), so that a delta depends only on the instructions in between.
static inline uint64_t mn_systick_scale(uint64_t n) {
    #if defined(MICRONN_SYSTICK_CLOCK_HZ)
    // floor(n * HZ / CLOCK_HZ) without overflowing 64 bits.
    const uint64_t num = MICRONN_SYSTICK_HZ, den = MICRONN_SYSTICK_CLOCK_HZ;
    return n / den * num + (n % den) * num / den;
    #else
    return n;
    #endif
}

// Whole SysTick clocks since the first call. Race-free: with interrupts masked, an
// expiry not yet serviced shows as a pending SysTick.
static uint64_t mn_systick_count(void) {
    uint32_t primask = mn_irq_save();
    if (!mn_systick_started) {
        MN_SYST_CSR = 0;
        MN_SYST_RVR = MN_SYST_RELOAD;
        MN_SYST_CSR = MN_SYST_CSR_CLKSOURCE | MN_SYST_CSR_TICKINT | MN_SYST_CSR_ENABLE;
        mn_systick_total = 0;
        mn_systick_started = 1;
    } else {
        uint32_t val = MN_SYST_CVR;
        uint64_t high = mn_systick_high;
        if (MN_SCB_ICSR & MN_ICSR_PENDSTSET) {
            val = MN_SYST_CVR;
            high += MN_SYST_PERIOD;
        }
        // Ticks since the restart: 0 while CVR still reads 0 from the restart,
        // then 2^24 - CVR, plus 2^24 per expiry.
        mn_systick_total += mn_systick_scale(high + ((MN_SYST_PERIOD - val) & MN_SYST_RELOAD));
    }
    mn_systick_restart();
    uint64_t total = mn_systick_total;
    mn_irq_restore(primask);
    return total;
}

uint64_t mn_port_ticks(void) {
    return mn_systick_count();
}

// ---------------------------------------------------------------------------
// ARM semihosting (QEMU `-semihosting`): host paths are relative to QEMU's
// working directory.

#define MN_SH_SYS_OPEN 0x01
#define MN_SH_SYS_CLOSE 0x02
#define MN_SH_SYS_READ 0x06
#define MN_SH_SYS_FLEN 0x0C
#define MN_SH_MODE_RB 1

static int32_t mn_semihost(uint32_t op, const void *args) {
    register uint32_t r0 __asm__ ("r0") = op;
    register const void *r1 __asm__ ("r1") = args;
    __asm volatile ("bkpt 0xab" : "+r" (r0) : "r" (r1) : "memory");
    return (int32_t)r0;
}

// Read the host file `path`. With buf == NULL: return its size. Otherwise read up
// to `cap` bytes into buf and return the number read. -1 if it cannot be opened
// (or read).
long mn_port_host_read(const char *path, void *buf, size_t cap);

long mn_port_host_read(const char *path, void *buf, size_t cap) {
    uint32_t open_args[3] = { (uint32_t)path, MN_SH_MODE_RB, (uint32_t)strlen(path) };
    int32_t handle = mn_semihost(MN_SH_SYS_OPEN, open_args);
    if (handle == -1) {
        return -1;
    }
    uint32_t handle_args[1] = { (uint32_t)handle };
    long result = mn_semihost(MN_SH_SYS_FLEN, handle_args);
    if (buf != NULL && result >= 0) {
        size_t n = (size_t)result < cap ? (size_t)result : cap;
        uint32_t read_args[3] = { (uint32_t)handle, (uint32_t)buf, (uint32_t)n };
        int32_t left = mn_semihost(MN_SH_SYS_READ, read_args); // bytes NOT read
        result = (left < 0 || (size_t)left > n) ? -1 : (long)(n - (size_t)left);
    }
    mn_semihost(MN_SH_SYS_CLOSE, handle_args);
    return result;
}

#endif // MICRONN_PORT_CORTEXM_SYSTICK
