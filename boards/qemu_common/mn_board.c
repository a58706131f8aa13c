// micronn QEMU boards: vector table, FPU-enabling reset and (MPS3) the UART.
//
// The qemu port's startup.c provides Reset_Handler (stack, .data, .bss, main) and
// errorhandler.c the fault handlers. Our linker script places this file's vector
// table at the reset VTOR instead of the port's own `isr_vector`, so that:
//  - hard-float builds enable the FPU (and MVE) before any C code runs;
//  - SysTick goes to `mn_board_systick_isr`, which the micronn tick counter
//    defines; the linker script falls back to the port's SysTick_Handler.
// This file includes no py/ header: it is built before the generated headers.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern uint32_t _estack;

void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void mn_board_systick_isr(void);
void mn_board_reset(void);

__attribute__((naked, noreturn)) void mn_board_reset(void) {
    __asm volatile (
        #if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
        // CPACR: full access to CP10 and CP11 (FPU, and MVE on Armv8.1-M).
        "ldr r0, =0xE000ED88\n"
        "ldr r1, [r0]\n"
        "orr r1, r1, #0x00F00000\n"
        "str r1, [r0]\n"
        "dsb\n"
        "isb\n"
        #endif
        // Far jump: on MPS3 the vectors sit in ITCM and the code elsewhere.
        "ldr r0, =Reset_Handler\n"
        "bx r0\n"
        );
}

const uint32_t mn_board_vectors[16] __attribute__((section(".mn_vectors"), used)) = {
    (uint32_t)&_estack,
    (uint32_t)&mn_board_reset,
    (uint32_t)&NMI_Handler,
    (uint32_t)&HardFault_Handler,
    (uint32_t)&MemManage_Handler,
    (uint32_t)&BusFault_Handler,
    (uint32_t)&UsageFault_Handler,
    0,
    0,
    0,
    0,
    (uint32_t)&SVC_Handler,
    (uint32_t)&DebugMon_Handler,
    0,
    (uint32_t)&PendSV_Handler,
    (uint32_t)&mn_board_systick_isr,
};

#if defined(MN_BOARD_UART0_BASE)
// CMSDK APB UART at a board-specific address (the port's uart.c hard-codes the
// MPS2 one and compiles to nothing when no QEMU_SOC_* is defined).
#include "uart.h"

typedef struct {
    volatile uint32_t DATA;
    volatile uint32_t STATE;
    volatile uint32_t CTRL;
    volatile uint32_t INTSTATUS;
    volatile uint32_t BAUDDIV;
} mn_uart_t;

#define MN_UART ((mn_uart_t *)(MN_BOARD_UART0_BASE))
#define MN_UART_TXFULL (1u << 0)
#define MN_UART_RXFULL (1u << 1)

void uart_init(void) {
    MN_UART->BAUDDIV = 16;
    MN_UART->CTRL = 3; // TX and RX enable
}

int uart_rx_chr(void) {
    if (!(MN_UART->STATE & MN_UART_RXFULL)) {
        return UART_RX_NO_CHAR;
    }
    return MN_UART->DATA;
}

void uart_tx_strn(const char *buf, size_t len) {
    for (size_t i = 0; i < len; ++i) {
        while (MN_UART->STATE & MN_UART_TXFULL) {
        }
        MN_UART->DATA = (uint8_t)buf[i];
    }
}
#endif

// Called by mp_init() (MICROPY_PORT_INIT_FUNC, see mn_board_init.h) after every reset and soft
// reset: runs the frozen _mn_boot.py, which mounts the RAM disk. Errors are printed, not raised.
int pyexec_frozen_module(const char *name, bool allow_keyboard_interrupt);

void mn_board_init(void) {
    pyexec_frozen_module("_mn_boot.py", false);
}

// littlefs stamps files with the time; QEMU boards have no clock: the epoch.
uint64_t mp_hal_time_ns(void);
uint64_t mp_hal_time_ns(void) {
    return 0;
}
